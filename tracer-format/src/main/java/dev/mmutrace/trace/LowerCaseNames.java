package dev.mmutrace.trace;

import java.util.Locale;

/** Each {@link WireNamed} enum's constant names in lower case, by ordinal: made once per enum. */
final class LowerCaseNames {
    static final ClassValue<String[]> OF = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return names;
        }
    };

    private LowerCaseNames() {
    }
}
