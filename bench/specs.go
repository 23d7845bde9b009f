package main

// spec is a figure's unit and goal, fixed by the issue.
type spec struct {
	Unit string
	Cmp  cmp
	Goal float64
}

// specs lists every figure the harness reports, with its goal. Figures
// without a goal give the context their ratio is built from.
var specs = map[string]spec{
	"tui_first_frame_ms":                  {"ms", noGoal, 0},
	"baseline_first_frame_ms":             {"ms", noGoal, 0},
	"tui_first_frame_ratio":               {"×", atMost, 1.3},
	"tuionly_first_frame_ms":              {"ms", noGoal, 0},
	"tuionly_first_frame_ratio":           {"×", noGoal, 0},
	"tui_peak_rss_mb":                     {"MiB", atMost, 30},
	"tui_bytes_per_keystroke":             {"B", atMost, 200},
	"backup_check_speedup_vs_bcrypt_scan": {"×", atLeast, 1000},
	"backup_wrong_check_cpu_ms":           {"ms", noGoal, 0},
	"backup_right_check_cpu_ms":           {"ms", noGoal, 0},
	"bcrypt_scan_cpu_ms":                  {"ms", noGoal, 0},
	"http_floor_per_s":                    {"/s", noGoal, 0},
	"validate_per_s":                      {"/s", noGoal, 0},
	"validate_p99_ms":                     {"ms", noGoal, 0},
	"db_floor_per_s":                      {"/s", noGoal, 0},
	"validate_vs_db_floor":                {"×", atLeast, 0.5},
	"login_per_s":                         {"/s", noGoal, 0},
	"argon2id_hash_ms":                    {"ms", noGoal, 0},
	"login_vs_kdf_limit":                  {"×", atLeast, 0.8},
	"lockout_evaluated_in_burst":          {"", exactly, 5},
	"server_peak_rss_mb":                  {"MiB", atMost, 80},
	"server_peak_rss_login_mb":            {"MiB", noGoal, 0},
	"server_idle_rss_mb":                  {"MiB", noGoal, 0},
}

// fig builds a measured figure from its spec; db, when not "" or "sqlite",
// suffixes the name (validate_per_s_postgres).
func fig(name, db string, value float64, note string) Figure {
	s := specs[name]
	return Figure{Name: suffixed(name, db), Value: value, Unit: s.Unit, Cmp: s.Cmp, Goal: s.Goal, Note: note}
}

// figErr builds unmeasured figures from their specs, each carrying err.
func figErr(err error, db string, names ...string) []Figure {
	out := make([]Figure, len(names))
	for i, n := range names {
		out[i] = fig(n, db, 0, "")
		out[i].Err = err
	}
	return out
}

// suffixed adds the database to a server figure's name, except for SQLite,
// which keeps the plain names of the issue.
func suffixed(name, db string) string {
	if db == "" || db == "sqlite" {
		return name
	}
	return name + "_" + db
}
