package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/keyring"
	"github.com/twofa/twofa/session"
	"github.com/twofa/twofa/ui/words"
)

// ClientFlags are the flags of every command that talks to a server.
type ClientFlags struct {
	Server          string
	AllowHTTP       bool
	CACert          string
	InsecureStorage bool
	Debug           string
}

// Register adds --server, --allow-http, --ca-cert, --insecure-storage and --debug to fs.
func (o *ClientFlags) Register(fs *pflag.FlagSet) {
	o.RegisterServer(fs)
	fs.BoolVar(&o.InsecureStorage, "insecure-storage", false, "when no keyring works, keep the session token in a plain 0600 file")
}

// RegisterServer adds the flags that reach a server (--server,
// --allow-http, --ca-cert, --debug) to fs, for a command that keeps no
// session here.
func (o *ClientFlags) RegisterServer(fs *pflag.FlagSet) {
	fs.StringVar(&o.Server, "server", "", "account API base URL, e.g. https://copilot.example.com (default: $TWOFA_SERVER, then the config file)")
	fs.BoolVar(&o.AllowHTTP, "allow-http", false, "allow plain http:// to a host that is not this machine (sends your password unencrypted)")
	fs.StringVar(&o.CACert, "ca-cert", "", "PEM `file` of extra CA certificates to trust, for a server with a private CA")
	fs.StringVar(&o.Debug, "debug", "", "append a request log (secrets redacted, each line timed) to `file`; \"-\" for stderr")
}

// Words names these flags in the sentences that point a person to one.
func (o *ClientFlags) Words() words.Words {
	return words.New(words.Settings{Server: "--server", AllowHTTP: "--allow-http", CACert: "--ca-cert FILE", InsecureStorage: "--insecure-storage"})
}

// Connection is everything a command needs to talk to one server: the
// client, the session manager over the keyring and the config file, and
// those two themselves (for what a command reports about them).
type Connection struct {
	Client   *client.Client
	Sessions *session.Manager
	Keyring  *keyring.Store
	Config   *config.File
	// Close releases what Open opened (the debug log file).
	Close func() error
}

// ErrNoServer is returned by Open when no server is configured anywhere.
var ErrNoServer = errors.New("no server given: pass --server https://host, set TWOFA_SERVER, or sign in once so the config file remembers it")

// Open resolves the server (flag > TWOFA_SERVER > config file) and builds
// the client and the session manager; it does no network I/O.
func (o *ClientFlags) Open(f *Factory) (*Connection, error) {
	path := config.PathFrom(f.Getenv)
	cfg, err := config.Open(path)
	if err != nil {
		return nil, err
	}
	server := o.Server
	if server == "" {
		server = f.Getenv("TWOFA_SERVER")
	}
	if server == "" {
		server = cfg.Server()
	}
	if server == "" {
		return nil, ErrNoServer
	}
	c, closeFn, err := o.newClient(f, server)
	if err != nil {
		return nil, err
	}
	dir := ""
	if path != "" {
		dir = filepath.Dir(path)
	}
	kr := keyring.New(keyring.Options{InsecureFile: o.InsecureStorage, Dir: dir})
	return &Connection{
		Client:   c,
		Sessions: session.New(c, kr, cfg),
		Keyring:  kr,
		Config:   cfg,
		Close:    closeFn,
	}, nil
}

// newClient is the client of server under these flags (--allow-http,
// --ca-cert, --debug); closeFn closes the debug log.
func (o *ClientFlags) newClient(f *Factory, server string) (c *client.Client, closeFn func() error, err error) {
	if err := checkServer(server); err != nil {
		return nil, nil, &ExitError{Code: 2, Err: err}
	}
	debug, closeFn, err := o.openDebug(f)
	if err != nil {
		return nil, nil, err
	}
	c, err = client.New(client.Options{
		Server:           server,
		AllowHTTP:        o.AllowHTTP,
		CACertFile:       o.CACert,
		Debug:            debug,
		UserAgentVersion: version.String(),
	})
	if err != nil {
		_ = closeFn()
		return nil, nil, err
	}
	return c, closeFn, nil
}

// connect is Open for a command: a failure comes back explained in these
// flags' words (errors.Is still reaches ErrNoServer), with the words for
// what the command says next.
func (o *ClientFlags) connect(f *Factory) (*Connection, words.Words, error) {
	say := o.Words()
	conn, err := o.Open(f)
	var usage *ExitError
	if errors.As(err, &usage) {
		return nil, say, err // a usage error, already a sentence
	}
	return conn, say, say.Explain(err)
}

// openDebug opens the --debug log: nothing, stderr ("-"), or a file
// appended to with mode 0600, each line stamped with its time; closeFn
// closes the file.
func (o *ClientFlags) openDebug(f *Factory) (w io.Writer, closeFn func() error, err error) {
	closeFn = func() error { return nil }
	switch o.Debug {
	case "":
		return nil, closeFn, nil
	case "-":
		return &timedLines{w: f.IO.ErrOut, now: time.Now}, closeFn, nil
	}
	file, err := os.OpenFile(o.Debug, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open debug log: %w", err)
	}
	return &timedLines{w: file, now: time.Now}, file.Close, nil
}

// checkServer refuses a server address with a space or control character
// in it (`--server "http://h/ extra"`): a URL has none, and the rest of
// such a line is a mistake, not a path to send requests to.
func checkServer(server string) error {
	if i := strings.IndexFunc(server, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }); i >= 0 {
		return fmt.Errorf("the server address %q has a space or control character at position %d; give only the URL, e.g. --server https://copilot.example.com", server, i+1)
	}
	return nil
}
