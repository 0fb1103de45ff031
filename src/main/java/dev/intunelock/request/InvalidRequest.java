package dev.intunelock.request;

import java.util.List;

/** The request breaks the API's rules; every broken rule is named at once. */
public class InvalidRequest extends RuntimeException {

    private final List<String> violations;

    public InvalidRequest(List<String> violations) {
        super(String.join(" ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
