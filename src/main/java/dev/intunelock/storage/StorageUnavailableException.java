package dev.intunelock.storage;

/** The lock store could not be read or written; nothing was sent to Intune. */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
