using System.Runtime.Versioning;

// The deployment targets are Linux (provided.al2023, linux-x64/arm64 images) and so are these checks:
// they run the linux-x64 publish output and buildah.
[assembly: SupportedOSPlatform("linux")]
