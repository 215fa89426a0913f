package dev.mmutrace.cli;

/** Runs the command line in-process and keeps what it printed. */
record CliRunner(int exit, String out, String err) {

    static CliRunner run(String... args) {
        CliSession session = new CliSession();
        int exit = session.run(args);
        return new CliRunner(exit, session.out(), session.err());
    }
}
