package dev.intunelock.selfservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** HELPDESK_CONTACT becomes tap-to-call and tap-to-mail links on the page; a plain text stays plain. */
class HelpdeskContactTest {

    @Test
    void aNamePhoneAndEmailBecomeLinksInAnyOrder() {
        HelpdeskContact contact = HelpdeskContact.parse("IT helpdesk, +1 555 0100, helpdesk@contoso.example");
        assertEquals("IT helpdesk", contact.name());
        assertEquals("+1 555 0100", contact.phone());
        assertEquals("+15550100", contact.tel());
        assertEquals("helpdesk@contoso.example", contact.email());

        HelpdeskContact reordered = HelpdeskContact.parse("it@contoso.example; (030) 1234-567; Service desk");
        assertEquals("Service desk", reordered.name());
        assertEquals("0301234567", reordered.tel());
        assertEquals("it@contoso.example", reordered.email());
    }

    @Test
    void aNumberAfterAColonIsFoundToo() {
        HelpdeskContact contact = HelpdeskContact.parse("IT helpdesk (sandbox): +1 555 0100, helpdesk@contoso.example");
        assertEquals("IT helpdesk (sandbox)", contact.name());
        assertEquals("+15550100", contact.tel());
    }

    @Test
    void aPlainTextWithoutNumberOrAddressIsShownAsItIs() {
        HelpdeskContact contact = HelpdeskContact.parse("your IT helpdesk");
        assertEquals("your IT helpdesk", contact.text());
        assertEquals("your IT helpdesk", contact.name());
        assertNull(contact.tel());
        assertNull(contact.email());
    }

    @Test
    void aRoomNumberOrExtensionTooShortForAPhoneNumberStaysInTheName() {
        HelpdeskContact contact = HelpdeskContact.parse("Room 42, helpdesk@contoso.example");
        assertEquals("Room 42", contact.name());
        assertNull(contact.tel());
    }
}
