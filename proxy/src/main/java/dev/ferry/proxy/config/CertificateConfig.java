package dev.ferry.proxy.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One certificate a TLS listener presents.
 *
 * @param cert the PEM certificate chain, leaf first
 * @param key the PEM private key (PKCS#8, or PKCS#1/SEC1 as OpenSSL writes them)
 * @param serverNames the SNI names it is chosen for ({@code api.example.com}, {@code
 *     *.example.com}); empty for the default certificate, presented when no name matches
 */
public record CertificateConfig(Path cert, Path key, List<String> serverNames) {}
