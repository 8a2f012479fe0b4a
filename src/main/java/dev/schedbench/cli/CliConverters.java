package dev.schedbench.cli;

import dev.schedbench.model.Policy;
import dev.schedbench.model.PrioritySource;
import java.util.Locale;
import picocli.CommandLine;

/** Converters shared by the commands' flags. */
final class CliConverters {

    private CliConverters() {}

    /** Policy names with hyphens or underscores, as both vLLM and the seed's documents write them. */
    static final class PolicyConverter implements CommandLine.ITypeConverter<Policy> {
        @Override
        public Policy convert(String value) {
            try {
                return Policy.parse(value);
            } catch (IllegalArgumentException e) {
                // picocli would otherwise wrap the message in "cannot convert ... (java.lang.IllegalArgumentException: ...)"
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PriorityConverter implements CommandLine.ITypeConverter<PrioritySource> {
        @Override
        public PrioritySource convert(String value) {
            return PrioritySource.parse(value);
        }
    }

    /** A rate in requests per second, where {@code inf} means all at once (Python's float spelling). */
    static final class RateConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("inf") || v.equals("+inf") || v.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            double rate = Double.parseDouble(v);
            if (!(rate > 0)) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a rate > 0 (or inf)");
            }
            return rate;
        }
    }

    /** Python-style booleans as vLLM's argparse takes them: True/False, true/false, 1/0, yes/no. */
    static final class BooleanWord implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new CommandLine.TypeConversionException("expected True or False, got '" + value + "'");
            };
        }
    }
}
