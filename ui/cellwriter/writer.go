// Package cellwriter is the output writer between one Bubble Tea program and
// its terminal. Bubble Tea v1 re-sends every line that changed whole; the
// Writer keeps the screen the program drew and the screen the terminal
// shows, and on the alternate screen sends only the cells a frame changed.
// It also puts the terminal's own cursor where the frame marks it
// (CursorMark: the focused field) and hides it where no mark is.
package cellwriter

import (
	"bytes"
	"io"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
)

// CursorMark is put in a view where the terminal's cursor belongs. It is an
// OSC string of a number no terminal uses, ended by BEL: zero cells wide for
// lipgloss and Bubble Tea, ignored by terminal emulators (and passed whole
// by the ANSI compressor teatest runs programs with), and taken out by the
// Writer, so terminals never see it.
const CursorMark = "\x1b]7770;twofa-cursor\a"

// Writer is one program's output. Its methods may be called from the
// program's renderer and event loop at once.
type Writer struct {
	mu    sync.Mutex
	out   io.Writer
	p     *ansi.Parser
	state byte
	carry []byte
	buf   bytes.Buffer // output of the Write under way

	alt        bool // frames are kept and diffed only on the alternate screen
	want, have grid // what the program drew; what the terminal shows
	stale      bool // the terminal's contents are unknown (after a resize)
	w, h       int  // the terminal size, 0 while unknown

	x, y int           // where the program writes next
	pen  cellbuf.Style // the program's pen
	mark mark          // the program's cursor mark

	tx, ty int           // the terminal's cursor, tx -1 when unknown
	tpen   cellbuf.Style // the terminal's pen, when tpenOK
	tpenOK bool
	shown  bool // the terminal's cursor is visible
}

// mark is where a frame placed CursorMark; fresh marks came in the Write
// under way, so text after them on their row does not clear them.
type mark struct {
	x, y      int
	ok, fresh bool
}

// New returns a Writer in front of out.
func New(out io.Writer) *Writer {
	return &Writer{out: out, p: ansi.NewParser(), tx: -1, shown: true}
}

// Options are the program options that put w between the program and its
// terminal: w as the output, and the filter that tells w the window size.
func (w *Writer) Options() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithOutput(w.Output()), tea.WithFilter(w.Filter)}
}

// Output is w as a program's output: when the terminal behind it is a file
// (a tty), the result is one too, so Bubble Tea still reads its size and
// follows its resizes.
func (w *Writer) Output() io.Writer {
	if f, ok := w.out.(ttyFile); ok {
		return fileWriter{w, f}
	}
	return w
}

// ttyFile is what Bubble Tea looks for in an output to treat it as a tty.
type ttyFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// fileWriter is a Writer that also answers Fd, Read and Close of its file.
type fileWriter struct {
	*Writer
	f ttyFile
}

func (f fileWriter) Read(p []byte) (int, error) { return f.f.Read(p) }
func (f fileWriter) Close() error               { return f.f.Close() }
func (f fileWriter) Fd() uintptr                { return f.f.Fd() }

// Filter is a tea.WithFilter filter: it passes every message on and takes
// the window size from tea.WindowSizeMsg.
func (w *Writer) Filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		w.Resize(ws.Width, ws.Height)
	}
	return msg
}

// Resize records the terminal size. What a resized terminal shows is not
// known (terminals cut, keep or reflow lines), so the next frame is drawn
// whole.
func (w *Writer) Resize(width, height int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.w, w.h = width, height
	w.want.clip(width, height)
	w.have.clip(width, height)
	w.stale = true
}

// Write takes what the program writes: on the alternate screen frames are
// applied to the program's screen and the difference is sent; everything
// else (modes, OSC strings) is sent as it is, in order.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data := p
	if len(w.carry) > 0 {
		data = append(w.carry, p...)
		w.carry = nil
	}
	for len(data) > 0 {
		seq, width, n, state := ansi.DecodeSequence(data, w.state, w.p)
		if n >= len(data) && state != ansi.NormalState {
			w.carry = append([]byte(nil), data...) // a sequence split across writes
			break
		}
		w.state = state
		w.handle(seq, width)
		data = data[n:]
	}
	w.render()
	w.mark.fresh = false
	if w.buf.Len() == 0 {
		return len(p), nil
	}
	_, err := w.out.Write(w.buf.Bytes())
	w.buf.Reset()
	return len(p), err
}

// handle applies one decoded sequence or grapheme.
func (w *Writer) handle(seq []byte, width int) {
	switch {
	case len(seq) == 0:
	case seq[0] == ansi.ESC && len(seq) > 1:
		w.escape(seq)
	case seq[0] < 0x20 || seq[0] == ansi.DEL:
		w.control(seq)
	case !w.alt:
		w.buf.Write(seq)
	default:
		w.put(string(seq), width)
	}
}

// control applies a C0 control character.
func (w *Writer) control(seq []byte) {
	if !w.alt {
		w.buf.Write(seq)
		return
	}
	switch seq[0] {
	case '\r':
		w.x = 0
	case '\n':
		w.y++
		if w.h > 0 && w.y >= w.h { // the terminal would scroll
			w.y = w.h - 1
			w.stale = true
		}
	case '\b':
		w.x = max(0, w.x-1)
	case '\t':
		w.x = (w.x/8 + 1) * 8
	case ansi.BEL:
		w.passthrough(seq)
	}
}

// passthrough sends seq as it is, with the terminal's pen reset first so
// nothing it erases or restores takes a frame's colours.
func (w *Writer) passthrough(seq []byte) {
	if w.alt {
		w.setPen(cellbuf.Style{})
	}
	w.buf.Write(seq)
}
