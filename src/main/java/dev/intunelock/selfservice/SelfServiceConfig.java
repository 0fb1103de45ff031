package dev.intunelock.selfservice;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the page needs before anyone signs in: where to sign in (Entra ID authority, client id, scope) and how to
 * reach the helpdesk. Nothing secret: a single-page app has no client secret.
 */
@RegisterForReflection
public record SelfServiceConfig(boolean signInConfigured, String authority, String clientId, String scope,
        String helpdeskContact, HelpdeskContact helpdesk, int locksPerHour) {

    static SelfServiceConfig of(SelfServiceSettings settings) {
        String clientId = settings.clientId().filter(id -> !id.isBlank()).orElse(null);
        String scope = settings.scope().filter(s -> !s.isBlank()).orElse(null);
        return new SelfServiceConfig(clientId != null && scope != null, stripTrailingSlash(settings.authority()),
                clientId, scope, settings.helpdeskContact(), HelpdeskContact.parse(settings.helpdeskContact()),
                settings.locksPerHour());
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
