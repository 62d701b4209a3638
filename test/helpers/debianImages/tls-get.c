/*
 * tls-get HOST PORT [PATH]: one HTTPS GET, printing the response's status line and body.
 * What it needs at run time is the point of the fixture: the host name goes through getaddrinfo (NSS, hosts: in
 * /etc/nsswitch.conf, /etc/hosts for `files`), and the server is checked against the system's CA store
 * (OpenSSL's default paths: /usr/lib/ssl/cert.pem and /usr/lib/ssl/certs → /etc/ssl/certs from ca-certificates).
 * Exit 0 on HTTP 200; 3 when the name does not resolve, 4 when TLS fails (verification included), 5 otherwise.
 */
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints = {0}, *res, *ai;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) {
    fprintf(stderr, "tls-get: cannot resolve %s: %s\n", host, gai_strerror(rc));
    return -3;
  }
  int fd = -1;
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    fprintf(stderr, "tls-get: cannot connect to %s:%s\n", host, port);
    return -5;
  }
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: tls-get HOST PORT [PATH]\n");
    return 2;
  }
  const char *host = argv[1], *port = argv[2], *path = argc > 3 ? argv[3] : "/";
  int fd = connect_to(host, port);
  if (fd < 0) return -fd;

  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    fprintf(stderr, "tls-get: cannot read the default CA locations\n");
    return 4;
  }
  SSL *ssl = SSL_new(ctx);
  SSL_set_tlsext_host_name(ssl, host);
  SSL_set1_host(ssl, host);
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) {
    long v = SSL_get_verify_result(ssl);
    if (v != X509_V_OK) fprintf(stderr, "tls-get: certificate verify failed: %s\n", X509_verify_cert_error_string(v));
    else fprintf(stderr, "tls-get: TLS handshake failed: %s\n", ERR_error_string(ERR_get_error(), NULL));
    return 4;
  }

  char req[1024];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
  if (SSL_write(ssl, req, n) != n) {
    fprintf(stderr, "tls-get: write failed\n");
    return 5;
  }
  char buf[4096];
  size_t len = 0;
  int r;
  while (len < sizeof buf - 1 && (r = SSL_read(ssl, buf + len, (int)(sizeof buf - 1 - len))) > 0) len += (size_t)r;
  buf[len] = '\0';
  fputs(buf, stdout);
  SSL_shutdown(ssl);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0 ? 0 : 5;
}
