package dev.ferry.cli.importer.nginx;

import java.util.Map;
import java.util.Set;

/**
 * Reports every directive the mappers did not deal with: settings of nginx's own process and
 * buffers as ignored, and anything else (map, if, rewrite, variables, scripting) as not converted,
 * with the reason where one is known.
 */
final class LeftoverDirectives {
  private static final Set<String> PROCESS =
      Set.of(
          "user",
          "worker_processes",
          "worker_connections",
          "worker_rlimit_nofile",
          "worker_cpu_affinity",
          "worker_priority",
          "worker_shutdown_timeout",
          "pid",
          "daemon",
          "master_process",
          "error_log",
          "events",
          "use",
          "multi_accept",
          "accept_mutex",
          "accept_mutex_delay",
          "pcre_jit",
          "thread_pool",
          "timer_resolution",
          "env",
          "working_directory",
          "lock_file",
          "load_module",
          "ssl_engine",
          "debug_connection");

  private static final Set<String> NOT_NEEDED =
      Set.of(
          "types",
          "default_type",
          "sendfile",
          "tcp_nopush",
          "tcp_nodelay",
          "server_tokens",
          "charset",
          "server_names_hash_bucket_size",
          "server_names_hash_max_size",
          "types_hash_max_size",
          "types_hash_bucket_size",
          "variables_hash_max_size",
          "variables_hash_bucket_size",
          "map_hash_bucket_size",
          "client_body_buffer_size",
          "client_header_buffer_size",
          "large_client_header_buffers",
          "client_body_temp_path",
          "proxy_temp_path",
          "fastcgi_temp_path",
          "uwsgi_temp_path",
          "scgi_temp_path",
          "grpc_buffer_size",
          "proxy_buffering",
          "proxy_buffer_size",
          "proxy_buffers",
          "proxy_busy_buffers_size",
          "proxy_http_version",
          "proxy_request_buffering",
          "http2",
          "http2_recv_buffer_size",
          "http2_chunk_size",
          "http2_body_preread_size",
          "http2_recv_timeout",
          "http2_max_field_size",
          "http2_max_header_size",
          "http2_max_requests",
          "http2_push_preload",
          "keepalive_requests",
          "keepalive_time",
          "reset_timedout_connection",
          "send_timeout",
          "client_body_timeout",
          "resolver",
          "resolver_timeout",
          "ssl_session_cache",
          "ssl_session_timeout",
          "ssl_session_tickets",
          "ssl_prefer_server_ciphers",
          "ssl_ecdh_curve",
          "ssl_dhparam",
          "ssl_buffer_size",
          "ssl_stapling",
          "ssl_stapling_verify",
          "ssl_verify_depth",
          "ssl_early_data",
          "ssl_trusted_certificate",
          "log_not_found",
          "server_name_in_redirect",
          "absolute_redirect",
          "port_in_redirect",
          "output_buffers",
          "postpone_output",
          "open_file_cache",
          "aio",
          "directio",
          "limit_req_status",
          "limit_req_log_level",
          "limit_req_dry_run",
          "grpc_ignore_headers",
          "grpc_intercept_errors",
          "proxy_intercept_errors",
          "proxy_redirect",
          "msie_padding",
          "underscores_in_headers",
          "ignore_invalid_headers",
          "server_name",
          "log_format",
          "ssl_ciphers");

  /** Settings the mappers read where they take effect: unseen, nothing converted uses them. */
  private static final Set<String> INHERITED =
      Set.of(
          "grpc_connect_timeout",
          "grpc_read_timeout",
          "grpc_send_timeout",
          "grpc_next_upstream",
          "grpc_next_upstream_tries",
          "grpc_set_header",
          "grpc_hide_header",
          "proxy_connect_timeout",
          "proxy_read_timeout",
          "proxy_send_timeout",
          "proxy_next_upstream",
          "proxy_next_upstream_tries",
          "proxy_set_header",
          "proxy_hide_header",
          "add_header",
          "client_max_body_size",
          "allow",
          "deny",
          "limit_req",
          "limit_req_zone",
          "error_page",
          "keepalive_timeout",
          "http2_max_concurrent_streams",
          "http2_idle_timeout",
          "client_header_timeout",
          "ssl_certificate",
          "ssl_certificate_key",
          "ssl_protocols",
          "ssl_client_certificate",
          "ssl_verify_client",
          "upstream",
          "grpc_ssl_trusted_certificate",
          "grpc_ssl_name",
          "grpc_ssl_certificate",
          "grpc_ssl_certificate_key",
          "grpc_ssl_verify",
          "proxy_ssl_trusted_certificate",
          "proxy_ssl_name",
          "proxy_ssl_certificate",
          "proxy_ssl_certificate_key",
          "proxy_ssl_verify");

  private static final Map<String, String> WHY =
      Map.ofEntries(
          Map.entry("map", "ferry has no variables to map"),
          Map.entry("geo", "ferry has no variables; an acl on the route allows or denies ranges"),
          Map.entry("split_clients", "ferry has no variables; weights on endpoints split traffic"),
          Map.entry("if", "ferry's routes have no conditions beyond their match"),
          Map.entry("set", "ferry has no variables"),
          Map.entry("rewrite", "ferry forwards the path as it came"),
          Map.entry("rewrite_log", "ferry forwards the path as it came"),
          Map.entry("try_files", "ferry serves no files"),
          Map.entry("root", "ferry serves no files"),
          Map.entry("alias", "ferry serves no files"),
          Map.entry("index", "ferry serves no files"),
          Map.entry("autoindex", "ferry serves no files"),
          Map.entry("auth_request", "ferry asks no other service before a call"),
          Map.entry("auth_basic", "ferry has no basic authentication; mutual TLS or an acl"),
          Map.entry("limit_conn", "ferry caps connections per listener, not per key"),
          Map.entry("limit_conn_zone", "ferry caps connections per listener, not per key"),
          Map.entry("limit_rate", "ferry does not slow responses down"),
          Map.entry("gzip", "ferry does not compress responses"),
          Map.entry("sub_filter", "ferry passes bodies through unchanged"),
          Map.entry("stream", "ferry proxies HTTP and gRPC, not raw TCP/UDP"),
          Map.entry("mail", "ferry proxies HTTP and gRPC, not mail"),
          Map.entry("limit_except", "ferry's routes do not match on the request method"),
          Map.entry("return", "nginx returns before its locations; only one return is used"),
          Map.entry("ssl", "ssl on is obsolete: ferry uses the listen directive's ssl"));

  private LeftoverDirectives() {}

  /** Reports every directive under {@code block} that no mapper has seen. */
  static void report(Directive block, ImportReport report) {
    for (Directive d : block.block()) {
      if (report.isSeen(d)) {
        if (d.isBlock()) {
          report(d, report);
        }
        continue;
      }
      String name = d.name();
      if (PROCESS.contains(name)) {
        report.ignored(d, "a setting of nginx's own processes");
      } else if (name.equals("server_name")) {
        report.ignored(d, "the port's default server: it takes requests for any host, as in nginx");
      } else if (NOT_NEEDED.contains(name)) {
        report.ignored(d, "ferry needs no such setting (it sizes and tunes this itself)");
      } else if (WHY.containsKey(name)) {
        report.notConverted(d, WHY.get(name));
      } else if (name.contains("lua") || name.startsWith("js_") || name.startsWith("perl")) {
        report.notConverted(d, "ferry runs no scripts in the request path");
      } else if (INHERITED.contains(name)) {
        report.note(d, "nothing that was converted uses it");
      } else {
        report.notConverted(d, "ferry has no counterpart for " + name);
      }
    }
  }
}
