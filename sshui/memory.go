package sshui

import "github.com/twofa/twofa/client"

// signIns is one connection's session.Memory: it remembers nothing from
// before (no one's name is offered to the next person), and within the
// connection who signed in at which route — for the customer portal, and
// for the connection's log line.
type signIns struct{ v *visit }

// LastUser is never known: a connection starts signed out, its field empty.
func (signIns) LastUser(string) string { return "" }

// Route is the route user signed in at earlier in this connection.
func (m signIns) Route(_, user string) string {
	_, routes := m.v.signIns()
	return routes[user]
}

// Remember records that user signed in at route.
func (m signIns) Remember(_, user, route string) error {
	m.v.signedIn(user, route)
	return nil
}

// clientPortal is the route named by a remembered route string.
func clientPortal(route string) client.Portal { return client.Portal(route) }
