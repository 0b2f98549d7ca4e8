# One image for AWS Lambda (container image) and for any container runtime (ECS, App Runner, `docker run -p 8080:8080`).
# The app carries its own Lambda Runtime API client: when Lambda starts the entry point it sets
# AWS_LAMBDA_RUNTIME_API and the app serves invocations; anywhere else the same entry point serves HTTP on
# Kestrel at port 8080.
#
#   docker build -t cloudnativeapp .                                  (x86_64)
#   docker buildx build --platform linux/arm64 -t cloudnativeapp .    (arm64: cross-compiled, no emulation)
#
# PUBLISHED lets CI put the publish output it already tested into the image (`--build-arg
# PUBLISHED=<image holding /app/publish>`) instead of publishing again, so the zip and the image carry the same bits.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=public.ecr.aws/lambda/provided:al2023
ARG PUBLISHED=build

FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
ARG TARGETARCH
# Native AOT links with clang (the SDK image has none); for the other architecture than the builder's (the SDK stage
# runs natively and cross-publishes) also with Debian's cross toolchain and C library for it.
RUN case "${TARGETARCH:-amd64}" in arm64) rid=linux-arm64 cross="gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;; amd64) rid=linux-x64 cross="gcc-x86-64-linux-gnu libc6-dev-amd64-cross" ;; *) echo "Unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; esac \
    && echo "$rid" > /tmp/rid \
    && if [ "$(dpkg --print-architecture)" = "${TARGETARCH:-amd64}" ]; then cross=""; fi \
    && apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev $cross \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore in its own layer: it only reruns when a project file or the package versions change.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/CloudNativeApp/CloudNativeApp.csproj src/CloudNativeApp/
COPY src/CloudNativeApp.LambdaHosting/CloudNativeApp.LambdaHosting.csproj src/CloudNativeApp.LambdaHosting/
RUN dotnet restore src/CloudNativeApp -r "$(cat /tmp/rid)"
COPY src/ src/
# The documented publish command (README, Deploy): Native AOT, entry point `bootstrap`.
RUN dotnet publish src/CloudNativeApp -c Release -r "$(cat /tmp/rid)" --no-restore -o /app/publish

FROM ${PUBLISHED} AS published

# Lambda's own base image: the same Amazon Linux 2023 the provided.al2023 zip runs on, and its layers are
# cached by Lambda. Only our entry point is used, not the base image's runtime interface emulator.
FROM ${RUNTIME_IMAGE} AS final
WORKDIR /var/task
COPY --from=published /app/publish/ /var/task/
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_NOLOGO=true
EXPOSE 8080
# No user of its own in the base image; any non-root uid can read the published files (Lambda runs images
# as its own unprivileged user anyway).
USER 65532:65532
ENTRYPOINT ["/var/task/bootstrap"]
