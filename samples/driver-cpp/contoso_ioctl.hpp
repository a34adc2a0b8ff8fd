/*
 * contoso_ioctl.hpp - the user/kernel interface of the Contoso sensor driver,
 * written in C++ (a sample for ioctl-lens beside the C one in ../driver).
 * User-mode clients, 32- and 64-bit, include it; so does the KMDF driver in
 * queue.cpp. Only built-in Windows types are used, so ioctl-lens reads it
 * with no include path configured.
 */
#pragma once

#include <cstdint>

#define FILE_DEVICE_CONTOSO_SENSOR 0x8338

/** Read the sensor configuration. @out contoso::sensor::Config */
#define IOCTL_CONTOSO_SENSOR_GET_CONFIG CTL_CODE(FILE_DEVICE_CONTOSO_SENSOR, 0x900, METHOD_BUFFERED, FILE_READ_ACCESS)

/** Arm the sensor: the driver signals Event when a sample is ready. @in contoso::sensor::ArmRequest */
#define IOCTL_CONTOSO_SENSOR_ARM CTL_CODE(FILE_DEVICE_CONTOSO_SENSOR, 0x901, METHOD_BUFFERED, FILE_WRITE_ACCESS)

/** Read samples into the caller's buffer. @in contoso::sensor::ReadSamples */
#define IOCTL_CONTOSO_SENSOR_READ CTL_CODE(FILE_DEVICE_CONTOSO_SENSOR, 0x902, METHOD_BUFFERED, FILE_READ_ACCESS)

namespace contoso {
namespace sensor {

constexpr ULONG MaxChannels = 4;

enum class Mode : ULONG { Off = 0, Continuous = 1, Triggered = 2 };

/* Fixed-width: the same for every caller. */
struct Config {
    USHORT Version;
    USHORT Channels;
    Mode DefaultMode;
    std::uint32_t SampleRate[MaxChannels];
};

/* A HANDLE, a pointer-sized cookie and a Config by address: a 32-bit caller sends another layout. */
struct ArmRequest {
    ULONG Channel;
    Mode ArmMode;
    HANDLE Event;
    ULONG_PTR Cookie;
    const Config *Settings;
};

/* The caller's buffer by address: a 32-bit caller sends a 4-byte pointer. */
struct ReadSamples {
    ULONG Channel;
    ULONG Count;
    std::uint32_t *Samples;
};

} // namespace sensor
} // namespace contoso

static_assert(sizeof(contoso::sensor::Config) == 24, "Config is fixed-width");
