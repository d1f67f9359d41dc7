package dev.parapet.worker.guard;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a model's answer before anyone sees it.
 * <ul>
 *   <li>The canary, even with spacing or zero-width characters inside it, means the model is
 *       repeating its instructions: the answer is withheld (CANARY_LEAK).</li>
 *   <li>A run of {@link #LEAK_RUN_WORDS} or more consecutive words of the system prompt is the
 *       same leak without the canary: withheld (SYSTEM_PROMPT_LEAK).</li>
 *   <li>Secrets (API key formats, private key blocks, JWTs) and PII (e-mail addresses, card
 *       numbers that pass the Luhn check) are replaced by {@code [REDACTED:kind]} and counted.</li>
 * </ul>
 * Patterns are bounded and the answer is capped by the model's max_tokens, so scanning is linear
 * in practice. Thread-safe.
 */
public final class OutputGuard {

    /** Consecutive system-prompt words that count as a leak. */
    public static final int LEAK_RUN_WORDS = 10;

    private record Detector(String kind, Pattern pattern) {
    }

    private static final List<Detector> SECRETS = List.of(
            new Detector("private_key", Pattern.compile(
                    "-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[A-Za-z0-9+/=\\s]{0,8000}?-----END (?:[A-Z]+ )?PRIVATE KEY-----")),
            new Detector("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}")),
            new Detector("api_key", Pattern.compile("\\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|"
                    + "gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,})")),
            new Detector("email", Pattern.compile("\\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}\\b")));
    private static final Pattern CARD_CANDIDATE = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}\\s]+");

    private final String canary;
    private final Set<String> promptRuns;

    public OutputGuard(SafePrompt prompt) {
        Objects.requireNonNull(prompt, "prompt can't be null");
        this.canary = squash(prompt.canary());
        this.promptRuns = runs(words(prompt.systemPrompt().replace(prompt.canary(), "")));
    }

    public GuardResult inspect(String answer) {
        Objects.requireNonNull(answer, "answer can't be null");
        if (squash(answer).contains(canary)) {
            return new GuardResult(GuardResult.Action.WITHHELD, "", "CANARY_LEAK", Map.of());
        }
        List<String> answerWords = words(answer);
        for (int i = 0; i + LEAK_RUN_WORDS <= answerWords.size(); i++) {
            if (promptRuns.contains(String.join(" ", answerWords.subList(i, i + LEAK_RUN_WORDS)))) {
                return new GuardResult(GuardResult.Action.WITHHELD, "", "SYSTEM_PROMPT_LEAK", Map.of());
            }
        }
        Map<String, Integer> findings = new LinkedHashMap<>();
        String text = answer;
        for (Detector detector : SECRETS) {
            text = replace(text, detector.pattern(), detector.kind(), findings);
        }
        text = redactCards(text, findings);
        return findings.isEmpty() ? new GuardResult(GuardResult.Action.PASS, answer, null, Map.of())
                : new GuardResult(GuardResult.Action.REDACTED, text, null, findings);
    }

    private static String replace(String text, Pattern pattern, String kind, Map<String, Integer> findings) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int count = 0;
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement("[REDACTED:" + kind + "]"));
            count++;
        }
        matcher.appendTail(out);
        if (count > 0) {
            findings.merge(kind, count, Integer::sum);
        }
        return out.toString();
    }

    private static String redactCards(String text, Map<String, Integer> findings) {
        Matcher matcher = CARD_CANDIDATE.matcher(text);
        StringBuilder out = new StringBuilder();
        int count = 0;
        while (matcher.find()) {
            String digits = matcher.group().replaceAll("[ -]", "");
            boolean card = digits.length() >= 13 && digits.length() <= 19 && luhn(digits);
            matcher.appendReplacement(out, Matcher.quoteReplacement(card ? "[REDACTED:card_number]" : matcher.group()));
            if (card) {
                count++;
            }
        }
        matcher.appendTail(out);
        if (count > 0) {
            findings.merge("card_number", count, Integer::sum);
        }
        return out.toString();
    }

    /** The Luhn checksum that every payment card number satisfies. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static String squash(String text) {
        return INVISIBLE.matcher(text).replaceAll("").toLowerCase(Locale.ROOT);
    }

    private static List<String> words(String text) {
        return List.of(text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim().split(" "));
    }

    private static Set<String> runs(List<String> words) {
        Set<String> runs = new HashSet<>();
        for (int i = 0; i + LEAK_RUN_WORDS <= words.size(); i++) {
            runs.add(String.join(" ", words.subList(i, i + LEAK_RUN_WORDS)));
        }
        return runs;
    }
}
