package io.klingrelay.campaign.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The command's console: what the user reads (picocli's output writer, not logging) and the
 * confirmation prompt. Without a terminal (stdin or stdout redirected) or with {@code CI=true} it
 * never prompts: a question then counts as "no".
 */
public final class Console {

    private final PrintWriter out;
    private final boolean interactive;

    /**
     * @param out         where to print
     * @param interactive whether a person can answer questions (a terminal, not CI)
     */
    public Console(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * @param out the output writer
     * @param env the environment
     * @return a console that is interactive when stdin and stdout are a terminal and {@code CI} is not {@code true}
     */
    public static Console of(PrintWriter out, Map<String, String> env) {
        return new Console(out, isTerminal() && !"true".equalsIgnoreCase(env.getOrDefault("CI", "")));
    }

    /** @return whether standard input and output are a terminal (JDK 22+ {@code Console.isTerminal()} when present) */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) MethodHandles.publicLookup()
                    .findVirtual(java.io.Console.class, "isTerminal", MethodType.methodType(boolean.class))
                    .invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return true; // JDK 21: System.console() is non-null only on a terminal
        } catch (Throwable e) {
            return false;
        }
    }

    /** @return whether a person can answer questions */
    public boolean isInteractive() {
        return interactive;
    }

    /** @return the writer */
    public PrintWriter out() {
        return out;
    }

    /**
     * @param format a {@link String#format} pattern, with a line end
     * @param args   its arguments
     */
    public void printf(String format, Object... args) {
        out.printf(Locale.ROOT, format, args);
        out.flush();
    }

    /** @param text text to print as-is */
    public void print(String text) {
        out.print(text);
        out.flush();
    }

    /** @param line a line to print */
    public void println(String line) {
        out.println(line);
        out.flush();
    }

    /**
     * @param question the question, e.g. {@code Publish 24 requests?}
     * @return whether the person answered y or yes; false without a terminal
     */
    public boolean confirm(String question) {
        if (!interactive) {
            return false;
        }
        printf("%s [y/N] ", question);
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && ("y".equalsIgnoreCase(answer.strip()) || "yes".equalsIgnoreCase(answer.strip()));
        } catch (IOException e) {
            return false;
        }
    }
}
