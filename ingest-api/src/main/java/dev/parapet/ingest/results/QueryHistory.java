package dev.parapet.ingest.results;

import dev.parapet.events.QueryResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each verified user's queries that have an outcome, newest first: an index over the results
 * store, kept in memory. It is fed by every response that arrives and rebuilt from the store when
 * the edge starts, so it holds what {@code llm.responses} retains (7 days by default), at most
 * {@value #PER_USER} entries per user. A response counts for a user only when the policy stage
 * verified the query's token as that user ({@code user_id}); a query sent with a forged or expired
 * token claiming someone's name never enters their history.
 */
public final class QueryHistory {

    /** Entries kept per user; older ones fall out of the history, not out of {@code GET /v1/queries/{id}}. */
    public static final int PER_USER = 1_000;

    /** Entries older than this are forgotten: the default retention of {@code llm.responses}. */
    public static final java.time.Duration MAX_AGE = java.time.Duration.ofDays(7);

    /** One history position: newest first, then by query id. */
    public record Entry(long respondedAtNanos, String queryId) {
        static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::respondedAtNanos).reversed()
                .thenComparing(Entry::queryId, Comparator.reverseOrder());
    }

    /** A page of entries and, when more remain, the cursor of the next page. */
    public record Page(List<Entry> entries, Optional<String> next) {
    }

    private static final class UserHistory {
        final NavigableSet<Entry> entries = new TreeSet<>(Entry.NEWEST_FIRST);
        final Map<String, Entry> byId = new HashMap<>();
    }

    private final Map<String, UserHistory> users = new ConcurrentHashMap<>();

    /** Records a response; a second response for the same query replaces the first. */
    public void add(QueryResponse response) {
        if (response.userId() == null || response.userId().isBlank()) {
            return;
        }
        Entry entry = new Entry(nanos(response.respondedAt()), response.queryId());
        while (true) {
            UserHistory history = users.computeIfAbsent(response.userId(), u -> new UserHistory());
            synchronized (history) {
                if (users.get(response.userId()) != history) {
                    continue; // the sweep dropped this user's empty history meanwhile; add to the new one
                }
                Entry previous = history.byId.get(entry.queryId());
                if (previous != null) {
                    if (previous.respondedAtNanos() >= entry.respondedAtNanos()) {
                        return; // a redelivered or older outcome (say, from the rebuild's scan) never moves the entry back
                    }
                    history.entries.remove(previous);
                }
                history.byId.put(entry.queryId(), entry);
                history.entries.add(entry);
                while (history.entries.size() > PER_USER) {
                    Entry oldest = history.entries.pollLast();
                    history.byId.remove(oldest.queryId());
                }
                return;
            }
        }
    }

    /** Forgets entries older than {@code oldest} (past the topic's retention), and users left with none. */
    public void forgetBefore(java.time.Instant oldest) {
        long cutoff = nanos(oldest);
        users.entrySet().removeIf(user -> {
            UserHistory history = user.getValue();
            synchronized (history) {
                while (!history.entries.isEmpty() && history.entries.last().respondedAtNanos() < cutoff) {
                    history.byId.remove(history.entries.pollLast().queryId());
                }
                return history.entries.isEmpty();
            }
        });
    }

    /**
     * Up to {@code limit} of the user's entries after {@code before} (a cursor from an earlier page),
     * newest first.
     */
    public Page page(String user, int limit, Optional<Entry> before) {
        UserHistory history = users.get(user);
        if (history == null) {
            return new Page(List.of(), Optional.empty());
        }
        synchronized (history) {
            NavigableSet<Entry> rest = before.map(b -> history.entries.tailSet(b, false)).orElse(history.entries);
            List<Entry> page = new ArrayList<>(Math.min(limit, rest.size()));
            for (Entry e : rest) {
                if (page.size() == limit) {
                    return new Page(page, Optional.of(cursor(page.get(page.size() - 1))));
                }
                page.add(e);
            }
            return new Page(page, Optional.empty());
        }
    }

    private static long nanos(java.time.Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    }

    /** The opaque cursor that continues after {@code entry}. */
    public static String cursor(Entry entry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((entry.respondedAtNanos() + ":" + entry.queryId())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor; empty when it is not one this edge wrote. */
    public static Optional<Entry> parseCursor(String cursor) {
        if (cursor == null || cursor.length() > 200) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new Entry(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
