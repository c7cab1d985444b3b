package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/feeds/mastodon"
)

// signIns gives the GUI each network's credential check and Mastodon's
// OAuth sign-in: in the browser with a loopback redirect (RFC 8252), or
// with a code the user pastes.
type signIns struct {
	networks feeds.Registry
}

// Verifier returns the network's SignIn, or nil if it has none.
func (s signIns) Verifier(n accounts.Network) accounts.Verifier {
	nw, err := s.networks.Lookup(n)
	if err != nil {
		return nil
	}
	if signer, ok := nw.(feeds.SignIn); ok {
		return signer.SignIn
	}
	return nil
}

func (s signIns) mastodon(n accounts.Network) (*mastodon.Network, error) {
	nw, err := s.networks.Lookup(n)
	if err != nil {
		return nil, err
	}
	m, ok := nw.(*mastodon.Network)
	if !ok {
		return nil, fmt.Errorf("browser sign-in on %s: %w", n, feeds.ErrUnsupported)
	}
	return m, nil
}

// BrowserSignIn registers Chancery on server, opens its authorization page
// and waits for the code on a loopback address.
func (s signIns) BrowserSignIn(ctx context.Context, n accounts.Network, server string, open func(*url.URL) error) (string, error) {
	m, err := s.mastodon(n)
	if err != nil {
		return "", err
	}
	state, err := accounts.NewState()
	if err != nil {
		return "", err
	}
	receiver, err := accounts.NewLoopbackReceiver(state)
	if err != nil {
		return "", err
	}
	defer receiver.Close()
	app, err := m.RegisterApp(ctx, server, receiver.RedirectURI())
	if err != nil {
		return "", err
	}
	pkce, err := accounts.NewPKCE()
	if err != nil {
		return "", err
	}
	page, err := authorizePage(server, app.ClientID, receiver.RedirectURI(), state, pkce.Challenge)
	if err != nil {
		return "", err
	}
	if err := open(page); err != nil {
		return "", fmt.Errorf("open the browser: %w", err)
	}
	code, err := receiver.Wait(ctx)
	if err != nil {
		return "", err
	}
	return m.ExchangeCode(ctx, server, app, code, receiver.RedirectURI(), pkce.Verifier)
}

// ClientSignIn signs in on a network whose accounts use the mission's own
// OAuth client (X): the network's authorization page opens in the browser
// and the code comes back on a loopback address (RFC 8252).
func (s signIns) ClientSignIn(ctx context.Context, n accounts.Network, server, clientID, clientSecret string, open func(*url.URL) error) (string, error) {
	nw, err := s.networks.Lookup(n)
	if err != nil {
		return "", err
	}
	c, ok := nw.(clientAuthorizer)
	if !ok {
		return "", fmt.Errorf("browser sign-in on %s: %w", n, feeds.ErrUnsupported)
	}
	return c.Authorize(ctx, server, clientID, clientSecret, open)
}

// clientAuthorizer is a network whose browser sign-in takes the mission's
// own OAuth client (x.Network.Authorize).
type clientAuthorizer interface {
	Authorize(ctx context.Context, server, clientID, clientSecret string, open func(*url.URL) error) (string, error)
}

// CodeSignIn registers Chancery for a pasted code and returns the page that
// shows the code and the step that exchanges it.
func (s signIns) CodeSignIn(ctx context.Context, n accounts.Network, server string) (*url.URL, func(context.Context, string) (string, error), error) {
	m, err := s.mastodon(n)
	if err != nil {
		return nil, nil, err
	}
	app, err := m.RegisterApp(ctx, server, mastodon.OOB)
	if err != nil {
		return nil, nil, err
	}
	pkce, err := accounts.NewPKCE()
	if err != nil {
		return nil, nil, err
	}
	page, err := authorizePage(server, app.ClientID, mastodon.OOB, "", pkce.Challenge)
	if err != nil {
		return nil, nil, err
	}
	finish := func(ctx context.Context, code string) (string, error) {
		return m.ExchangeCode(ctx, server, app, code, mastodon.OOB, pkce.Verifier)
	}
	return page, finish, nil
}

func authorizePage(server, clientID, redirect, state, challenge string) (*url.URL, error) {
	raw, err := mastodon.AuthorizeURL(server, clientID, redirect, state, challenge)
	if err != nil {
		return nil, err
	}
	return url.Parse(raw)
}

// budgets reads the monthly usage of accounts on networks that bill calls.
type budgets struct {
	networks feeds.Registry
}

// Billed reports whether network n bills calls (X).
func (b budgets) Billed(n accounts.Network) bool {
	nw, err := b.networks.Lookup(n)
	if err != nil {
		return false
	}
	_, ok := nw.(feeds.Budgeted)
	return ok
}

// Spending returns a's calls and estimated cost for the month of now.
func (b budgets) Spending(a accounts.Account, now time.Time) (feeds.Spending, error) {
	nw, err := b.networks.Lookup(a.Network)
	if err != nil {
		return feeds.Spending{}, err
	}
	bd, ok := nw.(feeds.Budgeted)
	if !ok {
		return feeds.Spending{}, fmt.Errorf("usage on %s: %w", a.Network, feeds.ErrUnsupported)
	}
	return bd.Spending(a, now)
}

// SetBudget sets a's monthly budget in US dollars (0: none).
func (b budgets) SetBudget(a accounts.Account, monthlyUSD float64) error {
	nw, err := b.networks.Lookup(a.Network)
	if err != nil {
		return err
	}
	bd, ok := nw.(feeds.Budgeted)
	if !ok {
		return fmt.Errorf("budget on %s: %w", a.Network, feeds.ErrUnsupported)
	}
	return bd.SetBudget(a, monthlyUSD)
}

// postActions reaches each network's Actor and Threader.
type postActions struct {
	networks feeds.Registry
}

// Capabilities returns what a's network declares.
func (p postActions) Capabilities(a accounts.Account) feeds.Capabilities {
	nw, err := p.networks.Lookup(a.Network)
	if err != nil {
		return feeds.Capabilities{}
	}
	return nw.Capabilities()
}

// Act reposts or likes through the network, if it can.
func (p postActions) Act(ctx context.Context, a accounts.Account, postID string, action feeds.Action, undo bool) error {
	nw, err := p.networks.Lookup(a.Network)
	if err != nil {
		return err
	}
	actor, ok := nw.(feeds.Actor)
	if !ok {
		return fmt.Errorf("%s on %s: %w", action, a.Network, feeds.ErrUnsupported)
	}
	return actor.Act(ctx, a, postID, action, undo)
}

// CanThread reports whether a's network can show conversations.
func (p postActions) CanThread(a accounts.Account) bool {
	nw, err := p.networks.Lookup(a.Network)
	if err != nil {
		return false
	}
	_, ok := nw.(feeds.Threader)
	return ok
}

// Thread returns a post's conversation, if the network can.
func (p postActions) Thread(ctx context.Context, a accounts.Account, postID string) ([]feeds.Post, error) {
	nw, err := p.networks.Lookup(a.Network)
	if err != nil {
		return nil, err
	}
	threader, ok := nw.(feeds.Threader)
	if !ok {
		return nil, fmt.Errorf("conversation on %s: %w", a.Network, feeds.ErrUnsupported)
	}
	return threader.Thread(ctx, a, postID)
}
