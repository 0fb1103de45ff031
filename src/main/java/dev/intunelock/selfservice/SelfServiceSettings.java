package dev.intunelock.selfservice;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The self-service page's settings (see README: SELF_SERVICE_*, HELPDESK_CONTACT). */
@ConfigMapping(prefix = "self-service")
public interface SelfServiceSettings {

    /** Application (client) id of the single-page-app registration the page signs in with. */
    Optional<String> clientId();

    /** Entra ID authority, {@code https://login.microsoftonline.com/<tenant>}: the page appends /oauth2/v2.0/… */
    String authority();

    /** The API scope the page asks a token for, e.g. {@code api://intune-lock/SelfService.Lock}. */
    Optional<String> scope();

    /** How to reach the helpdesk, shown on the page (the helpdesk holds Mac recovery PINs). */
    String helpdeskContact();

    @WithDefault("3")
    int locksPerHour();
}
