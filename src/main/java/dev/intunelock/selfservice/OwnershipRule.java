package dev.intunelock.selfservice;

import dev.intunelock.auth.Caller;
import dev.intunelock.intune.IntuneDevice;

/**
 * The ownership rule: through self-service, a caller sees and locks only the devices Intune registers to them,
 * i.e. whose {@code userPrincipalName} is the caller's principal, compared case-insensitively (Entra ID treats UPNs
 * that way). A device with no user is nobody's.
 */
final class OwnershipRule {

    private OwnershipRule() {
    }

    static boolean owns(Caller caller, IntuneDevice device) {
        return device.userPrincipalName() != null && device.userPrincipalName().equalsIgnoreCase(caller.name());
    }
}
