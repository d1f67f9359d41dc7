package dev.parapet.policy.content;

/**
 * A text that counts how often a regex engine reads it and stops the engine, with
 * {@link WorkBudgetExceeded}, once a budget is spent. It bounds the work of backtracking matching
 * whatever the input; the policy stage denies a query whose scan runs out of budget.
 */
final class BudgetedText implements CharSequence {

    private final String text;
    private long remaining;

    BudgetedText(String text, long budget) {
        this.text = text;
        this.remaining = budget;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw new WorkBudgetExceeded();
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }

    /** The scan read more characters than its budget allows. */
    static final class WorkBudgetExceeded extends RuntimeException {
        WorkBudgetExceeded() {
            super("content scan exceeded its work budget", null, false, false);
        }
    }
}
