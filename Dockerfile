# A minimal image: the static binary alone. Build the binaries first
# (scripts/release.sh), then:
#   docker build -t ngxlint .
#   docker run --rm -v /etc/nginx:/etc/nginx:ro ngxlint lint /etc/nginx
FROM scratch
ARG TARGETARCH=amd64
COPY dist/ngxlint-linux-${TARGETARCH} /ngxlint
ENTRYPOINT ["/ngxlint"]
