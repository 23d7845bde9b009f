package qrview

import "strings"

// GroupKey formats a base32 secret for typing by hand: upper case, without
// spaces or padding, in groups of four ("ABCD EFGH IJKL ...").
func GroupKey(secret string) string {
	s := strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	s = strings.TrimRight(s, "=")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n > 0 && n%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
