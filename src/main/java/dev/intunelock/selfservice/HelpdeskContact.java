package dev.intunelock.selfservice;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How an employee reaches the helpdesk, read from {@code HELPDESK_CONTACT}: parts separated by commas, semicolons or
 * a colon and a space, where a part that looks like a phone number becomes a tap-to-call link, one that is an e-mail
 * address a tap-to-mail link, and the rest is the name ({@code "IT helpdesk, +1 555 0100, helpdesk@contoso.example"}).
 * A plain text without either still works: it is shown as it is. {@code tel} is the number as a {@code tel:} link
 * wants it (digits and a leading +).
 */
@RegisterForReflection
public record HelpdeskContact(String text, String name, String phone, String tel, String email) {

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9(][0-9 ()./-]{4,}[0-9]");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@,;]+@[^\\s@,;]+\\.[^\\s@,;]+");

    static HelpdeskContact parse(String text) {
        String phone = null;
        String email = null;
        List<String> name = new ArrayList<>();
        for (String part : text.split("[,;]|:\\s")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (phone == null && PHONE.matcher(trimmed).matches()) {
                phone = trimmed;
            } else if (email == null && EMAIL.matcher(trimmed).matches()) {
                email = trimmed;
            } else {
                name.add(trimmed);
            }
        }
        String tel = phone == null ? null : (phone.startsWith("+") ? "+" : "") + phone.replaceAll("[^0-9]", "");
        return new HelpdeskContact(text.trim(), name.isEmpty() ? null : String.join(", ", name), phone, tel, email);
    }
}
