package app

import "strconv"

// shown is how `twofa admin` prints text that came from the database (a
// username, an audit detail): as it is when every character is graphic,
// else in double quotes with Go escapes (\u202e, \x1b, \t), so that a
// legacy name holding a control, format or bidirectional character can
// neither drive the terminal nor pass for another name. Quoted output
// always means escaped output: a name with a quote or a backslash is
// quoted too.
func shown(s string) string {
	q := strconv.QuoteToGraphic(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}
