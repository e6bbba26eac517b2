package stack

// Build and the layers, for BenchmarkStackLayers.
var Build = build

const (
	LayerHandler     = layerHandler
	LayerRecoverer   = layerRecoverer
	LayerRouting     = layerRouting
	LayerLimiter     = layerLimiter
	LayerHandlerFunc = layerHandlerFunc
)

// Layer is the set of layers Build mounts.
type Layer = layer
