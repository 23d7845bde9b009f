package vtterm

import (
	"fmt"
	"io"

	gossh "golang.org/x/crypto/ssh"
)

// sshStream is an SSH session's terminal as Attach reads it: its output
// and error output together, as a terminal shows them.
type sshStream struct {
	*io.PipeReader
	in   io.WriteCloser
	sess *gossh.Session
	out  *io.PipeWriter
}

// SSHStream wires sess's input, and its output and error output together,
// into a Stream for Attach. Call it before sess.Shell.
func SSHStream(sess *gossh.Session) (Stream, error) {
	in, err := sess.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("ssh stdin: %w", err)
	}
	pr, pw := io.Pipe()
	sess.Stdout, sess.Stderr = pw, pw
	return sshStream{PipeReader: pr, in: in, sess: sess, out: pw}, nil
}

// Write types p.
func (s sshStream) Write(p []byte) (int, error) { return s.in.Write(p) }

// Wait waits for the remote program to end, then ends the output.
func (s sshStream) Wait() error {
	err := s.sess.Wait()
	_ = s.out.Close()
	return err
}

// Close ends the session.
func (s sshStream) Close() error { return s.sess.Close() }
