package io.runlog.bench;

public final class ProfileBreakdown {
    private ProfileBreakdown() {
    }

    public static void main(final String[] args) {
    }
}
