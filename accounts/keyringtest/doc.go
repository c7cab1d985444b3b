// Package keyringtest holds the test of accounts.Keyring against the real
// OS keyring (a Secret Service under D-Bus on Linux). It is a package of its
// own because the unit tests of accounts swap go-keyring's process-wide
// provider with keyring.MockInit. The test runs only when
// CHANCERY_REAL_KEYRING=1, which scripts/with-keyring.sh sets after starting
// a throwaway gnome-keyring.
package keyringtest
