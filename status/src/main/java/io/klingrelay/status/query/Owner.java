package io.klingrelay.status.query;

/** Which instance answers for a key: this one, another one (by base URL), or none right now. */
public sealed interface Owner {

    /** This instance holds the key's partition. */
    record Local() implements Owner {
    }

    /**
     * Another instance holds it.
     *
     * @param baseUrl its {@code http://host:port}, from its {@code application.server}
     */
    record Remote(String baseUrl) implements Owner {
    }

    /** No instance holds it right now (starting, rebalancing): answer 503 and let the caller retry. */
    record Unavailable() implements Owner {
    }
}
