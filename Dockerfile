# luna for ECS: headless by default, configured by environment alone.
#   docker build -t luna .            (or: podman build -t luna .)
#   docker run --rm luna              probes its bundled mock, JSON lines
# BASE_IMAGE and BASE_TAG let a machine without a registry build on a
# locally made Debian image (tests/integration/test_container.sh makes
# one with debootstrap).
ARG BASE_IMAGE=debian
ARG BASE_TAG=bookworm-slim

FROM ${BASE_IMAGE}:${BASE_TAG} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	build-essential cmake pkg-config libcurl4-openssl-dev \
	libmicrohttpd-dev libcjson-dev libncurses-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The build type CI tests (warnings are CI's to catch, not the image's).
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLUNA_TESTS=OFF \
 && cmake --build /build -j "$(nproc)" \
 && strip /build/app/luna \
 && /build/app/luna --version

FROM ${BASE_IMAGE}:${BASE_TAG}
# Only the shared libraries luna links against, and the CA bundle that
# HTTPS probes verify against.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	libcurl4 libmicrohttpd12 libcjson1 libncursesw6 ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt \
 && groupadd --system --gid 10001 luna \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
	--shell /usr/sbin/nologin luna
COPY --from=build /build/app/luna /usr/local/bin/luna
# The built-in scenarios, where the binary looks for them (the install
# prefix's share/luna/scenarios): `luna mock --scenario outage` in ECS.
COPY --from=build /src/scripts/scenarios/*.json /usr/local/share/luna/scenarios/
USER 10001:10001
ENV LUNA_LOG_FORMAT=json \
	LUNA_STATUS_LISTEN=127.0.0.1:9464
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
	CMD ["/usr/local/bin/luna", "health"]
ENTRYPOINT ["/usr/local/bin/luna"]
CMD ["--headless"]
