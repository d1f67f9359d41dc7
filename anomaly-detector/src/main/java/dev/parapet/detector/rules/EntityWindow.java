package dev.parapet.detector.rules;

import dev.parapet.events.AnomalyDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One entity's recent signals under one rule, and whether it is quiet after an alert. Immutable:
 * {@link #observe} returns the next state and, when the threshold is crossed, the crossing.
 * <p>
 * Semantics: the count covers signals whose time lies within the window before the newest one
 * (a sliding window, out-of-order arrivals included). The alert is raised by the signal that
 * makes the count reach the threshold, at once. Then the counted signals are cleared and the
 * entity stays quiet for one window after the crossing: signals during that time count for
 * nothing, so one burst gives one alert.
 *
 * @param hits           counted signals, oldest first
 * @param quietUntil     no alert before this (epoch ms), 0 when not quiet
 * @param lastSeen       newest signal time (epoch ms), for expiry
 */
public record EntityWindow(List<Hit> hits, long quietUntil, long lastSeen) {

    /** Signals kept at most per entity and rule, and so the highest threshold a rule may have. */
    public static final int MAX_HITS = 256;

    public EntityWindow {
        hits = List.copyOf(hits);
    }

    public static EntityWindow empty() {
        return new EntityWindow(List.of(), 0, 0);
    }

    /**
     * @param at         epoch ms
     * @param weight     events it stands for
     * @param address    source address
     * @param decisionId evidence
     */
    public record Hit(long at, long weight, String address, String decisionId) {
    }

    /**
     * A threshold crossing.
     *
     * @param count      what was counted when it crossed
     * @param evidence   up to ten decision ids, oldest first
     * @param firstSeen  oldest counted signal
     * @param lastSeen   the crossing signal
     * @param windowStart start of the window that crossed
     * @param windowEnd  the crossing time
     */
    public record Crossing(long count, List<String> evidence, Instant firstSeen, Instant lastSeen, Instant windowStart, Instant windowEnd) {
    }

    /** The state after a result of {@link #observe}, with the crossing if there was one. */
    public record Observation(EntityWindow next, Optional<Crossing> crossing) {
    }

    public Observation observe(Signal signal, RuleSettings settings) {
        long at = signal.at().toEpochMilli();
        long windowMs = settings.window().toMillis();
        long newest = Math.max(lastSeen, at);
        if (at < quietUntil) {
            return new Observation(new EntityWindow(hits, quietUntil, newest), Optional.empty());
        }
        List<Hit> kept = new ArrayList<>(hits.size() + 1);
        for (Hit h : hits) {
            boolean sameAddressReplaced = settings.rule().countsDistinctAddresses() && h.address().equals(signal.address());
            if (h.at() > newest - windowMs && !sameAddressReplaced) {
                kept.add(h);
            }
        }
        if (at > newest - windowMs) {
            kept.add(new Hit(at, signal.weight(), signal.address(), signal.decisionId()));
        }
        kept.sort(Comparator.comparingLong(Hit::at));
        while (kept.size() > MAX_HITS) {
            kept.remove(0);
        }
        long count = settings.rule().countsDistinctAddresses()
                ? kept.stream().map(Hit::address).distinct().count()
                : kept.stream().mapToLong(Hit::weight).sum();
        if (count < settings.threshold()) {
            return new Observation(new EntityWindow(kept, quietUntil, newest), Optional.empty());
        }
        List<String> evidence = kept.stream().map(Hit::decisionId).limit(AnomalyDetails.MAX_EVIDENCE).toList();
        // the count covers (newest - window, newest]; a late signal can cross without being the newest
        Instant windowEnd = Instant.ofEpochMilli(newest);
        Crossing crossing = new Crossing(count, evidence, Instant.ofEpochMilli(kept.get(0).at()), signal.at(),
                windowEnd.minus(settings.window()), windowEnd);
        return new Observation(new EntityWindow(List.of(), at + windowMs, newest), Optional.of(crossing));
    }

    /** Whether nothing in this state can matter any more at {@code now} (epoch ms). */
    public boolean expiredAt(long now, Duration window) {
        return now >= quietUntil && lastSeen <= now - window.toMillis();
    }
}
