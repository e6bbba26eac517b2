package errdoc

// ValidMessageKey exposes validMessageKey to the package's external tests.
var ValidMessageKey = validMessageKey
