package rediscounter

import (
	"crypto/sha256"
	"encoding/base64"
)

// maxStoredKey is the longest key a store keeps as it is; longer keys
// (long user IDs, joined keys) are stored as their hash, so that an entry
// costs a fixed size whatever its key.
const maxStoredKey = 96

// storedKey returns key, or its SHA-256 (base64, 43 bytes) when it is
// longer than maxStoredKey.
func storedKey(key string) string {
	if len(key) <= maxStoredKey {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + base64.RawURLEncoding.EncodeToString(sum[:])
}
