package sshui

// replyFilter takes out of a terminal's input the answers to queries —
// colour reports (OSC 10/11: ESC ] digits ; … BEL or ESC \) and device
// attributes (ESC [ ? … c) — which are not keys: when one arrives after
// the background query gave up waiting (a slow link), it would otherwise
// be typed into the UI. A reply is recognised only when its first three
// bytes arrive together, as a terminal writes them, so a lone Esc key is
// passed on at once; a reply cut across reads is dropped to its end.
type replyFilter struct {
	in replyState
}

type replyState int

const (
	ground   replyState = iota
	inOSC               // dropping an OSC reply up to BEL or ST
	inOSCEsc            // in an OSC reply, just after an ESC (ST's first byte?)
	inCSI               // dropping a CSI ? reply up to its final byte
)

// filter removes replies from p in place and returns what is left.
func (f *replyFilter) filter(p []byte) []byte {
	out := p[:0]
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch f.in {
		case inOSC:
			switch b {
			case '\a':
				f.in = ground
			case 0x1b:
				f.in = inOSCEsc
			}
			continue
		case inOSCEsc:
			f.in = inOSC
			if b == '\\' {
				f.in = ground
			}
			continue
		case inCSI:
			if b >= 0x40 && b <= 0x7e {
				f.in = ground
			}
			continue
		}
		if b == 0x1b && i+2 < len(p) {
			switch {
			case p[i+1] == ']' && p[i+2] >= '0' && p[i+2] <= '9':
				f.in = inOSC
				i += 2
				continue
			case p[i+1] == '[' && p[i+2] == '?':
				f.in = inCSI
				i += 2
				continue
			}
		}
		out = append(out, b)
	}
	return out
}
