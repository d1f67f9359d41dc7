package dev.parapet.events.topic;

/**
 * A difference between a topic as it exists and as the catalog wants it. Bootstrap reports drift
 * and never "fixes" it: shrinking partitions is impossible and growing them moves keys.
 *
 * @param topic    topic name
 * @param setting  {@code partitions} or a config name
 * @param expected what the catalog wants
 * @param actual   what the broker has
 */
public record TopicDrift(String topic, String setting, String expected, String actual) {

    @Override
    public String toString() {
        return topic + ": " + setting + " is " + actual + ", catalog wants " + expected;
    }
}
