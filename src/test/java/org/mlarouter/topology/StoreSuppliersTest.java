package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.junit.jupiter.api.Test;
import org.mlarouter.config.RouterConfig;

class StoreSuppliersTest {

    private static boolean persistent(final Map<String, Object> settings) {
        return StoreSuppliers.of(new RouterConfig(settings)).keyValueStore(new DslKeyValueParams(RouterTopology.REQUEST_STATUS_STORE, false))
                .get().persistent();
    }

    @Test
    void shouldKeepTheStoresInRocksDbUnlessKafkaStreamsSettingSaysOtherwise() {
        assertTrue(persistent(Map.of()));
        assertFalse(persistent(Map.of("dsl.store.suppliers.class", BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class.getName())));
        assertFalse(persistent(Map.of("dsl.store.suppliers.class", BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class)));
    }

    @Test
    void shouldCacheTheStoresOnlyWhenTheCacheIsGivenASize() {
        assertFalse(StoreSuppliers.cached(new RouterConfig(Map.of())));
        assertFalse(StoreSuppliers.cached(new RouterConfig(Map.of("statestore.cache.max.bytes", "0"))));
        assertTrue(StoreSuppliers.cached(new RouterConfig(Map.of("statestore.cache.max.bytes", "10485760"))));
    }

    @Test
    void shouldNameTheKeyOfAClassThatIsNoStoreSupplier() {
        assertTrue(assertThrows(ConfigException.class, () -> persistent(Map.of("dsl.store.suppliers.class", "com.example.NoSuchStores")))
                .getMessage().contains("dsl.store.suppliers.class"));
        assertTrue(assertThrows(ConfigException.class, () -> persistent(Map.of("dsl.store.suppliers.class", String.class.getName())))
                .getMessage().contains("dsl.store.suppliers.class"));
    }
}
