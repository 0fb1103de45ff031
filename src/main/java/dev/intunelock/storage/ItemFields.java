package dev.intunelock.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * The builder side of a {@link StaticImmutableTableSchema} that maps an immutable domain record directly: while an
 * item is read, its attributes collect here, then the schema's build function makes the record from them.
 * No reflection, no bean classes, nothing for a native image to register.
 */
public final class ItemFields {

    private final Map<String, Object> values = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        return (T) values.get(name);
    }

    public int getInt(String name, int absent) {
        Integer value = get(name);
        return value == null ? absent : value;
    }

    /** Declares one attribute: its name, type, how to read it off the record, and its key tags. */
    public static <T, R> void attribute(StaticImmutableTableSchema.Builder<T, ItemFields> schema, Class<R> type,
            String name, Function<T, R> getter, StaticAttributeTag... tags) {
        schema.addAttribute(type, a -> a.name(name)
                .getter(getter)
                .setter((fields, value) -> fields.values.put(name, value))
                .tags(tags));
    }
}
