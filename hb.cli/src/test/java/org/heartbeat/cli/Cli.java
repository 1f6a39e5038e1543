package org.heartbeat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs a command line in this JVM and captures what it prints. */
record Cli(int exit, String out, String err) {

    static Cli run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    static Cli hbd(String... args) {
        return run(Hbd.commandLine(args), args);
    }

    static Cli hbc(String... args) {
        return run(new CommandLine(new Hbc()), args);
    }
}
