package dev.parapet.policy.content;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scores a text against a {@link RulePack}: normalise it, append the normalised text of any
 * base64/hex segments that decode to readable text, find which rules match, sum their weights
 * (plus the invisible-character weight), and compare with the pack's thresholds. Stateless and
 * thread-safe.
 *
 * <p>Patterns run only where they can match. One Aho–Corasick pass ({@link LiteralIndex}) finds
 * which patterns have all their required literals in the text and where their start literals
 * occur. A pattern with start literals is then tried only at those positions, anchored
 * (transparent bounds, so {@code \b} still sees the text around); a pattern without them is
 * searched once over the text. The result is the same as searching every pattern everywhere.
 *
 * <p>Every pattern must compile as RE2 (checked when the pack loads), so none has backreferences
 * or look-around; matching runs on {@code java.util.regex}, several times faster here than RE2/J,
 * under a work budget ({@link BudgetedText}) that bounds any backtracking: a text that exhausts
 * it is denied, never allowed.
 */
public final class ContentScanner implements ContentCheck {

    /** Character reads one scan may make across all anchored attempts. */
    static final long WORK_BUDGET = 20_000_000L;

    private final RulePack pack;
    private final List<java.util.regex.Pattern> anchored = new ArrayList<>();
    private final List<Integer> ruleOfPattern = new ArrayList<>();
    private final LiteralIndex index;

    private final long workBudget;

    public ContentScanner(RulePack pack) {
        this(pack, WORK_BUDGET);
    }

    ContentScanner(RulePack pack, long workBudget) {
        this.pack = Objects.requireNonNull(pack, "pack can't be null");
        this.workBudget = workBudget;
        List<String> sources = new ArrayList<>();
        for (int r = 0; r < pack.rules().size(); r++) {
            for (Pattern pattern : pack.rules().get(r).patterns()) {
                anchored.add(java.util.regex.Pattern.compile(AsciiWordBoundaries.translate(pattern.pattern())));
                ruleOfPattern.add(r);
                sources.add(pattern.pattern());
            }
        }
        this.index = new LiteralIndex(sources);
    }

    public RulePack pack() {
        return pack;
    }

    private boolean matches(int p, BudgetedText budgeted, int[] starts) {
        java.util.regex.Matcher matcher = anchored.get(p).matcher(budgeted)
                .useTransparentBounds(true).useAnchoringBounds(false);
        if (starts == null) {
            return matcher.find();
        }
        int previous = -1;
        for (int start : starts) {
            if (start == previous) {
                continue;
            }
            previous = start;
            if (matcher.region(start, budgeted.length()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ContentVerdict scan(String text) {
        return scan(NormalizedPrompt.of(text));
    }

    /** Scores a prompt that is already normalised (so a caller running several checks normalises once). */
    public ContentVerdict scan(NormalizedPrompt prompt) {
        boolean hadInvisible = prompt.hadInvisible();
        String target = prompt.text();
        List<String> matched = new ArrayList<>();
        Map<ContentCategory, Integer> weightByCategory = new EnumMap<>(ContentCategory.class);
        int score = hadInvisible ? pack.invisibleCharWeight() : 0;
        BitSet ruleHit = new BitSet(pack.rules().size());
        LiteralIndex.Scan found = index.scan(target);
        BitSet candidates = found.candidates();
        BudgetedText budgeted = new BudgetedText(target, workBudget);
        try {
            for (int p = candidates.nextSetBit(0); p >= 0; p = candidates.nextSetBit(p + 1)) {
                int r = ruleOfPattern.get(p);
                if (!ruleHit.get(r) && matches(p, budgeted, found.startsOf(p))) {
                    ruleHit.set(r);
                }
            }
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition of some groups; a deep one is a scan that cannot finish: deny
            throw new IllegalStateException("a content pattern recursed too deeply on this text", e);
        }
        for (int r = ruleHit.nextSetBit(0); r >= 0; r = ruleHit.nextSetBit(r + 1)) {
            ContentRule rule = pack.rules().get(r);
            matched.add(rule.id());
            score += rule.weight();
            weightByCategory.merge(rule.category(), rule.weight(), Integer::sum);
        }
        score = Math.min(100, score);
        Optional<ContentCategory> category = weightByCategory.entrySet().stream()
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        ContentVerdict.Action action = score >= pack.blockThreshold() ? ContentVerdict.Action.BLOCK
                : score >= pack.flagThreshold() ? ContentVerdict.Action.FLAG : ContentVerdict.Action.ALLOW;
        Optional<ContentVerdict.RuleRef> top = category.flatMap(c -> pack.rules().stream()
                .filter(r -> r.category() == c && matched.contains(r.id())).findFirst()
                .map(r -> new ContentVerdict.RuleRef(r.id(), r.name())));
        return new ContentVerdict(action, score, category, matched, hadInvisible, top);
    }
}
