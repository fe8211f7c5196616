package io.jettyspeed.processors.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of this JVM together, as Kafka Streams' memory
 * management guide does: one block cache shared by all stores, index and filter blocks kept in it, and
 * the memtables charged to it through one {@link WriteBufferManager}.
 *
 * <p>Why: by default each RocksDB instance has its own 50 MB block cache and up to three 16 MB
 * memtables, and the processors open one instance per store and partition (the event-id window stores
 * one per segment): on a 6-partition run that is well over a hundred instances, whose memory grows with
 * the data instead of with a setting. The bound is {@link #MEMORY_CONFIG} (bytes, from
 * {@code jetty.processors.rocksdb-memory}); memtables may take half of it.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The Streams configuration key carrying the bound in bytes. */
    public static final String MEMORY_CONFIG = "jetty.rocksdb.memory.bytes";
    /** Small memtables: many stores each hold little, and a memtable's arena grows in an eighth of its size. */
    private static final long MEMTABLE_BYTES = 1024 * 1024;
    private static final double INDEX_AND_FILTER_RATIO = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = Long.parseLong(String.valueOf(configs.get(MEMORY_CONFIG)));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(sharedCache(bytes));
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    /** One cache per JVM, sized by the first store opened (every store gets the same configuration). */
    private static synchronized Cache sharedCache(long bytes) {
        if (cache == null) {
            cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_RATIO);
            writeBuffers = new WriteBufferManager(bytes / 2, cache);
        }
        return cache;
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store and live as long as the JVM.
    }
}
