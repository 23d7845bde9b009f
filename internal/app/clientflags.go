package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/config"
	"github.com/twofa/twofa/internal/version"
	"github.com/twofa/twofa/keyring"
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
	fs.StringVar(&o.Server, "server", "", "account API base URL, e.g. https://copilot.example.com (default: $TWOFA_SERVER, then the config file)")
	fs.BoolVar(&o.AllowHTTP, "allow-http", false, "allow plain http:// to a host that is not this machine (sends your password unencrypted)")
	fs.StringVar(&o.CACert, "ca-cert", "", "PEM `file` of extra CA certificates to trust, for a server with a private CA")
	fs.BoolVar(&o.InsecureStorage, "insecure-storage", false, "when no keyring works, keep the session token in a plain 0600 file")
	fs.StringVar(&o.Debug, "debug", "", "append a request log (secrets redacted) to `file`; \"-\" for stderr")
}

// Words names these flags in the sentences that point a person to one.
func (o *ClientFlags) Words() words.Words {
	return words.New(words.Settings{Server: "--server", AllowHTTP: "--allow-http", CACert: "--ca-cert FILE", InsecureStorage: "--insecure-storage"})
}

// Session is everything a command needs to talk to one server as one user.
type Session struct {
	Client     *client.Client
	Tokens     *client.TokenHolder
	Keyring    *keyring.Store
	Config     *config.Config
	ConfigPath string
	// Close releases what Open opened (the debug log file).
	Close func() error
}

// ErrNoServer is returned by Open when no server is configured anywhere.
var ErrNoServer = errors.New("no server given: pass --server https://host, set TWOFA_SERVER, or sign in once so the config file remembers it")

// Open resolves the server (flag > TWOFA_SERVER > config file) and builds
// the client, token holder and keyring; it does no network I/O.
func (o *ClientFlags) Open(f *Factory) (*Session, error) {
	path := config.PathFrom(f.Getenv)
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	server := o.Server
	if server == "" {
		server = f.Getenv("TWOFA_SERVER")
	}
	if server == "" {
		server = cfg.Server
	}
	if server == "" {
		return nil, ErrNoServer
	}
	var debug io.Writer
	closeFn := func() error { return nil }
	switch o.Debug {
	case "":
	case "-":
		debug = f.IO.ErrOut
	default:
		file, err := os.OpenFile(o.Debug, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open debug log: %w", err)
		}
		debug, closeFn = file, file.Close
	}
	tokens := client.NewTokenHolder()
	c, err := client.New(client.Options{
		Server:           server,
		AllowHTTP:        o.AllowHTTP,
		CACertFile:       o.CACert,
		Debug:            debug,
		Tokens:           tokens,
		UserAgentVersion: version.String(),
	})
	if err != nil {
		_ = closeFn()
		return nil, err
	}
	dir := ""
	if path != "" {
		dir = filepath.Dir(path)
	}
	return &Session{
		Client:     c,
		Tokens:     tokens,
		Keyring:    keyring.New(keyring.Options{InsecureFile: o.InsecureStorage, Dir: dir}),
		Config:     cfg,
		ConfigPath: path,
		Close:      closeFn,
	}, nil
}

// LastUser returns the username last signed in at this session's server, or "".
func (s *Session) LastUser() string { return s.Config.LastUser[s.Client.Server()] }

// Resume loads the stored token of the last user at this server into Tokens
// and returns that user; keyring.ErrNotFound when there is nothing to resume.
func (s *Session) Resume() (string, error) {
	user := s.LastUser()
	if user == "" {
		return "", keyring.ErrNotFound
	}
	tok, err := s.Keyring.Load(s.Client.Server(), user)
	if err != nil {
		return user, err
	}
	s.Tokens.Set(tok)
	return user, nil
}

// SignedIn keeps a fresh session: it holds the token, stores it in the
// keyring, and remembers user and server in the config file.
func (s *Session) SignedIn(user, token string) error {
	s.Tokens.Set(token)
	if err := s.Keyring.Save(s.Client.Server(), user, token); err != nil {
		return err
	}
	s.Config.RememberUser(s.Client.Server(), user)
	return s.Config.Save(s.ConfigPath)
}
