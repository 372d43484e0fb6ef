"""An HTTP(S) connection to an address that was already checked, named by its host.

``http.client`` would resolve the host name again when it connects; connecting to the
checked address instead closes the gap a DNS answer that changes in between would open.
The host name is still what the request and the TLS certificate check are about.
"""

from __future__ import annotations

import http.client
import socket
import ssl

from topofmind.integrations.fetch.addresses import IPAddress


class PinnedConnection(http.client.HTTPConnection):
    """Talks to ``address`` while presenting itself (Host header, TLS SNI) as ``host``."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        address: IPAddress,
        timeout: float,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._tls = tls
        if tls is not None:
            # So the Host header reads "example.com", not "example.com:443".
            self.default_port = 443

    def connect(self) -> None:
        sock = socket.create_connection((str(self._address), self.port), timeout=self.timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
