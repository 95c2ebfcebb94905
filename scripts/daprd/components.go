// Package components registers the Dapr components SweetGiggles uses, and only those, in a daprd
// built by scripts/install-dapr.sh: Redis Streams and RabbitMQ pub/sub, the Redis state store, and
// the mDNS, nameformat and SQLite name resolvers. It replaces daprd's own component list (which needs the
// "stablecomponents" or "allcomponents" build tag and pulls in every cloud SDK), so the build takes
// minutes instead of most of an hour. Everything else is the unmodified Dapr runtime.
package components

import (
	"github.com/dapr/components-contrib/nameresolution/mdns"
	"github.com/dapr/components-contrib/nameresolution/nameformat"
	nrsqlite "github.com/dapr/components-contrib/nameresolution/sqlite"
	"github.com/dapr/components-contrib/pubsub/rabbitmq"
	pubsubredis "github.com/dapr/components-contrib/pubsub/redis"
	stateredis "github.com/dapr/components-contrib/state/redis"
	nrLoader "github.com/dapr/dapr/pkg/components/nameresolution"
	pubsubLoader "github.com/dapr/dapr/pkg/components/pubsub"
	stateLoader "github.com/dapr/dapr/pkg/components/state"
)

func init() {
	pubsubLoader.DefaultRegistry.RegisterComponent(pubsubredis.NewRedisStreams, "redis")
	pubsubLoader.DefaultRegistry.RegisterComponent(rabbitmq.NewRabbitMQ, "rabbitmq")
	stateLoader.DefaultRegistry.RegisterComponent(stateredis.NewRedisStateStore, "redis")
	nrLoader.DefaultRegistry.RegisterComponent(mdns.NewResolver, "mdns")
	nrLoader.DefaultRegistry.RegisterComponent(nameformat.NewResolver, "nameformat")
	nrLoader.DefaultRegistry.RegisterComponent(nrsqlite.NewResolver, "sqlite")
}
