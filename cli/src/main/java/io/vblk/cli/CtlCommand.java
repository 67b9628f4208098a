package io.vblk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vblk.config.Secrets;
import io.vblk.control.AdminClient;
import io.vblk.report.TextTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vblk ctl}: the admin endpoint's client. {@code show} prints the running settings and counters,
 * {@code set TARGET KEY=VALUE...} changes a device's or the scheduler's keys while I/O runs.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, versionProvider = io.vblk.config.Version.class,
        description = {"Reads and changes a running backend through its admin endpoint (admin.port in its config).",
            "  vblk ctl --target 127.0.0.1:10901 show",
            "  vblk ctl --target 127.0.0.1:10901 set sda11 weight=60",
            "  vblk ctl --target 127.0.0.1:10901 set scheduler policy=sfq idle=2ms"},
        footer = {"", CtlCommand.EXIT_CODES},
        subcommands = {CtlCommand.Show.class, CtlCommand.Set.class})
final class CtlCommand implements Callable<Integer> {
    static final String EXIT_CODES = "Exit codes: 0 ok, 1 the endpoint could not be reached or failed, 2 a usage "
            + "mistake or a change the backend refused (a bad value, an unknown device, a broken invariant).";

    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", scope = CommandLine.ScopeType.INHERIT,
            description = "The backend's admin endpoint (admin.listen:admin.port).")
    String target;

    @Option(names = "--token-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "A file whose first line is the endpoint's bearer token (admin.token-file).")
    String tokenFile;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return VblkMain.USAGE;
    }

    // the answer, or null after saying on stderr that the endpoint could not be reached
    private AdminClient.Answer reach(CommandSpec spec, Call call) {
        String token = tokenFile == null ? null : Secrets.token(tokenFile, "--token-file");
        try {
            return call.on(new AdminClient(target, token));
        } catch (IOException e) {
            spec.commandLine().getErr().println("vblk ctl: cannot reach the admin endpoint at " + target + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            spec.commandLine().getErr().flush();
            return null;
        }
    }

    @FunctionalInterface
    private interface Call {
        AdminClient.Answer on(AdminClient c) throws IOException;
    }

    // a refusal is the user's to fix (exit 2); a failure of the endpoint itself is not (exit 1)
    private static int refused(PrintWriter err, AdminClient.Answer a) {
        err.println("vblk ctl: " + a.status() + ": " + a.error());
        err.flush();
        return a.status() >= 500 ? VblkMain.RUN_FAILED : VblkMain.USAGE;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, footer = {"", CtlCommand.EXIT_CODES}, description = "The running settings of every device "
            + "and of the scheduler, with each device's counters.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.ParentCommand
        CtlCommand ctl;

        @CommandLine.Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            output.check(spec.commandLine());
            AdminClient.Answer a = ctl.reach(spec, AdminClient::state);
            if (a == null) {
                return VblkMain.RUN_FAILED;
            }
            if (a.status() != 200) {
                return refused(spec.commandLine().getErr(), a);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter table = output.table(out, spec.commandLine().getErr());
            JsonNode s = a.body().get("scheduler");
            TextTable t = new TextTable("lrrrlrrr", "device", "weight", "reservation", "limit", "mode", "max in service",
                    "received", "completed");
            List<List<Object>> rows = new ArrayList<>();
            for (JsonNode d : a.body().get("devices")) {
                String[] cells = {d.get("name").asText(), d.get("weight").asText(), iops(d.get("reservation")),
                    iops(d.get("limit")), d.get("mode").asText(), d.get("max-in-service").asText(),
                    d.get("received").asText(), d.get("completed").asText()};
                t.row(cells);
                rows.add(List.of((Object[]) cells));
            }
            if (table != null) {
                table.printf("scheduler: policy %s, depth %s, idle %s%s, %d dispatched now%n", s.get("policy").asText(),
                        s.get("depth").asText(), s.get("idle").asText(), s.get("inject").asBoolean() ? " with inject" : "",
                        s.get("dispatched").asInt());
                table.print(t.format());
                table.flush();
            }
            output.write(a.body(), new OutputOptions.Csv(List.of("device", "weight", "reservation", "limit", "mode",
                    "max_in_service", "received", "completed"), rows), out);
            return VblkMain.OK;
        }

        private static String iops(JsonNode n) {
            return n == null || n.isNull() ? "-" : n.asText();
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, footer = {"", CtlCommand.EXIT_CODES}, description = {"Changes keys of a device or of the "
            + "scheduler while I/O runs; takes effect between two dispatch decisions.",
        "Device keys: weight, reservation, limit (IOPS; none removes it), mode (sync, aio), max-in-service.",
        "Scheduler keys: policy (fifo, ioband, sfq, mclock), depth, idle (a duration), inject."})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.ParentCommand
        CtlCommand ctl;

        @Parameters(index = "0", paramLabel = "TARGET", description = "A device's name, or scheduler.")
        String target;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "What to change.")
        List<String> changes;

        @Option(names = "--json", description = "Print the backend's answer (the changes and the state after) as JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            for (String c : changes) {
                int eq = c.indexOf('=');
                if (eq <= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "'" + c + "' is not KEY=VALUE, e.g. weight=60");
                }
                body.set(c.substring(0, eq), value(c.substring(eq + 1)));
            }
            AdminClient.Answer a = ctl.reach(spec, c -> c.change(target, body));
            if (a == null) {
                return VblkMain.RUN_FAILED;
            }
            if (a.status() != 200) {
                return refused(spec.commandLine().getErr(), a);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JsonOut.MAPPER.writeValueAsString(a.body()));
            } else if (a.body().get("applied").isEmpty()) {
                out.println("nothing changed: " + target + " already runs with " + String.join(" ", changes));
            } else {
                for (JsonNode r : a.body().get("applied")) {
                    out.printf("%s %s: %s -> %s%n", r.get("target").asText(), r.get("control").asText(),
                            r.get("from").asText(), r.get("to").asText());
                }
            }
            out.flush();
            return VblkMain.OK;
        }

        // numbers and booleans as JSON's, none as null (back to the default), anything else a string ("2ms", "sfq")
        private static JsonNode value(String v) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (v.equals("none") || v.equals("null")) {
                return f.nullNode();
            }
            if (v.equals("true") || v.equals("false")) {
                return f.booleanNode(Boolean.parseBoolean(v));
            }
            if (v.matches("-?\\d{1,18}")) {
                return f.numberNode(Long.parseLong(v));
            }
            return f.textNode(v);
        }
    }
}
