package org.mlarouter.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.processor.TaskId;

/**
 * How far each task has read its requests: the latest request timestamp decided and the wall-clock time of that
 * decision. The review desk of the same task reads it to tell an outcome that may still meet its request (requests of
 * its time are still being read, after a reset say) from one whose request will not come. It also says whether any
 * request of the task may wait for coverage, so that the duplicate check looks in that store only then. Held in memory for the
 * topology's tasks only; after a restart a task starts from nothing and counts the wait from its start.
 */
final class RequestProgress {

    /** One task's progress; its task's processors run on one thread at a time. */
    static final class Task {
        private volatile long latestTimestamp = Long.MIN_VALUE;
        private volatile long lastReadAt = Long.MIN_VALUE;
        private volatile boolean awaitingCoverage = true;

        void read(final long timestamp, final long wallClock) {
            if (timestamp > latestTimestamp) {
                latestTimestamp = timestamp;
            }
            lastReadAt = wallClock;
        }

        long latestTimestamp() {
            return latestTimestamp;
        }

        long lastReadAt() {
            return lastReadAt;
        }

        /** Whether requests may wait for coverage in the task's store (true until the deciding processor finds none). */
        boolean awaitingCoverage() {
            return awaitingCoverage;
        }

        void awaitingCoverage(final boolean some) {
            awaitingCoverage = some;
        }
    }

    private final Map<TaskId, Task> byTask = new ConcurrentHashMap<>();

    Task of(final TaskId task) {
        return byTask.computeIfAbsent(task, ignored -> new Task());
    }
}
