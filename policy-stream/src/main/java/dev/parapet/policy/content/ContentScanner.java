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
 * <p>Patterns run only where they can match: one Aho–Corasick pass finds which patterns' required
 * literals ({@link RequiredLiterals}) occur in the text, and only those patterns run. The result
 * is the same as running every pattern, at a fraction of the cost.
 */
public final class ContentScanner implements ContentCheck {

    private final RulePack pack;
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<Integer> ruleOfPattern = new ArrayList<>();
    private final LiteralIndex index;

    public ContentScanner(RulePack pack) {
        this.pack = Objects.requireNonNull(pack, "pack can't be null");
        List<String> sources = new ArrayList<>();
        for (int r = 0; r < pack.rules().size(); r++) {
            for (Pattern pattern : pack.rules().get(r).patterns()) {
                patterns.add(pattern);
                ruleOfPattern.add(r);
                sources.add(pattern.pattern());
            }
        }
        this.index = new LiteralIndex(LiteralIndex.literalsOf(sources));
    }

    public RulePack pack() {
        return pack;
    }

    @Override
    public ContentVerdict scan(String text) {
        TextNormalizer.Normalized main = TextNormalizer.normalize(text);
        boolean hadInvisible = main.hadInvisible();
        StringBuilder scanned = new StringBuilder(main.text());
        for (String segment : EncodedSegments.decode(text)) {
            TextNormalizer.Normalized decoded = TextNormalizer.normalize(segment);
            hadInvisible |= decoded.hadInvisible();
            scanned.append('\n').append(decoded.text());
        }
        String target = scanned.toString();
        List<String> matched = new ArrayList<>();
        Map<ContentCategory, Integer> weightByCategory = new EnumMap<>(ContentCategory.class);
        int score = hadInvisible ? pack.invisibleCharWeight() : 0;
        BitSet ruleHit = new BitSet(pack.rules().size());
        BitSet candidates = index.candidates(target);
        for (int p = candidates.nextSetBit(0); p >= 0; p = candidates.nextSetBit(p + 1)) {
            int r = ruleOfPattern.get(p);
            if (!ruleHit.get(r) && patterns.get(p).matcher(target).find()) {
                ruleHit.set(r);
            }
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
