package dev.intunelock.auth;

/** Who asked: the token's principal (upn, else preferred_username, else sub). */
public record Caller(String name) {
}
