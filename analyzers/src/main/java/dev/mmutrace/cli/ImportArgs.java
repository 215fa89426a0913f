package dev.mmutrace.cli;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.io.TraceInputs;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * What an imported trace (ftrace text, trace.dat) does not say (docs/ftrace-import.md); shared by
 * every command that reads traces, and refused for mmutrace's own formats, which say it all.
 */
final class ImportArgs {
    @Option(names = "--mode", paramLabel = "MODE", description = "paging mode: 2level, pae or 4level (default 4level)")
    String mode;

    @Option(names = "--vcpus", paramLabel = "N",
            description = "vCPU count (default: what the file states, else a first pass for the highest cpu)")
    Integer vcpus;

    @Option(names = "--pfn-limit", paramLabel = "N",
            description = "guest memory in frames, decimal or 0x-hex (default: a first pass for the highest pfn + 1)")
    String pfnLimit;

    @Option(names = "--direct-map-base", paramLabel = "ADDR",
            description = "kernel vaddr of gpa 0, 0x-hex (default PAGE_OFFSET: 0xffff888000000000 for 4level,"
                    + " 0xc0000000 for pae and 2level; give the KASLR base if randomised)")
    String directMapBase;

    @Option(names = "--keep-hashed-pointers",
            description = "accept hashed %%p pointers as opaque identities instead of refusing them")
    boolean keepHashedPointers;

    @Option(names = "--accept-raw-values",
            description = "take raw entry values (trace.dat, trace-cmd's [FAILED TO PARSE] lines) as pfn-based")
    boolean acceptRawValues;

    @Option(names = "--legacy-pt-levels",
            description = "alloc/release_ptpage levels use Linux's pre-4.12 enum pt_level (PTE = 3)")
    boolean legacyPtLevels;

    @Option(names = "--lenient",
            description = "skip damaged or cut text lines, counted in the import summary, instead of refusing the input")
    boolean lenient;

    /**
     * The refusal of these options for a trace that is not imported (mmutrace's own formats say it
     * all), or none: which options exist and which were given come from picocli's model of this
     * group, so a new option needs no second list here.
     */
    static Optional<String> refusalFor(CommandSpec spec, TraceInputs.Opened opened) {
        boolean given = spec.commandLine().getParseResult().matchedOptions().stream().anyMatch(ImportArgs::ours);
        if (opened.imported() || !given) {
            return Optional.empty();
        }
        List<String> names = spec.options().stream().filter(ImportArgs::ours).map(OptionSpec::longestName).toList();
        return Optional.of(String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
                + " only apply to imported traces (ftrace text, trace.dat), not to ");
    }

    private static boolean ours(OptionSpec option) {
        return option.group() != null && option.group().typeInfo().getType() == ImportArgs.class;
    }

    ImportOptions options(CommandLine cmd) {
        PagingMode m = PagingMode.FOUR_LEVEL;
        if (mode != null) {
            m = PagingMode.fromWireName(mode).orElseThrow(() -> new CommandLine.ParameterException(cmd,
                    "unknown paging mode '" + mode + "' (2level, pae, 4level)"));
        }
        ImportOptions o = ImportOptions.defaults(m)
                .withKeepHashedPointers(keepHashedPointers)
                .withAcceptRawValues(acceptRawValues)
                .withLegacyPtLevels(legacyPtLevels)
                .withLenient(lenient);
        if (vcpus != null) {
            o = o.withVcpus(vcpus);
        }
        if (pfnLimit != null) {
            o = o.withPfnLimit(number(cmd, "--pfn-limit", pfnLimit));
        }
        if (directMapBase != null) {
            o = o.withDirectMapBase(number(cmd, "--direct-map-base", directMapBase));
        }
        return o;
    }

    /** A decimal or 0x-hex number; hex may use all 64 bits (kernel addresses). */
    private static long number(CommandLine cmd, String option, String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cmd, option + ": '" + text + "' is not a number (decimal or 0x-hex)");
        }
    }
}
