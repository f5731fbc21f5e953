/* TIFF files for the TIFF tests, written by libtiff directly (so that
 * tessel reads files it did not write: odd strip heights, partial tiles,
 * separate planes, big-endian, 64-bit floats, layouts it refuses), and the
 * scratch folder they live in. */
#ifndef TESSEL_TESTS_TIFF_FILES_H
#define TESSEL_TESTS_TIFF_FILES_H

#include <stddef.h>

#include "tessel/tessel.h"
#include "test_util.h"

typedef struct tf_spec {
    int width, height;
    int samples;        /* samples per pixel */
    int bits;           /* bits per sample */
    int sample_format;  /* SAMPLEFORMAT_UINT, _INT or _IEEEFP */
    int photometric;    /* PHOTOMETRIC_* */
    int separate;       /* 1: one plane per sample */
    int tile_width;     /* 0: strips */
    int tile_height;
    int rows_per_strip; /* strips; 0 = the whole image in one strip */
    int compression;    /* COMPRESSION_* */
    int predictor;      /* 0: none */
    int big_endian;
    int bigtiff;
    int alpha;          /* the last sample is marked as unassociated alpha */
} tf_spec;

/* Bytes of one sample. */
size_t tf_sample_bytes(const tf_spec *spec);
/* Bytes of the whole image, samples interleaved. */
size_t tf_image_bytes(const tf_spec *spec);

/* Random samples for spec (free with free()): integers over their range,
 * floats mostly in [-1, 1) with some large ones, doubles with a few beyond
 * float's range. */
void *tf_random_samples(const tf_spec *spec, tu_rng *rng);

/* Writes data (height x width pixels of interleaved samples in the
 * machine's byte order) as the TIFF spec describes. 0 on success; else it
 * reports a failure and returns -1. A palette file gets a grey colour map. */
int tf_write(const char *path, const tf_spec *spec, const void *data);

/* What tessel should read from data: the image of tessel's dtype (doubles
 * narrowed to float), packed; free its data with free(). */
tessel_image tf_expected(const tf_spec *spec, const void *data);

/* A fresh folder under $TMPDIR (or /tmp) named for the test; exits on
 * failure. tf_path gives "FOLDER/name" in a static buffer of 4 rotating. */
const char *tf_make_temp_dir(const char *test_name);
const char *tf_path(const char *name);
/* Removes every file in the folder, then the folder. */
void tf_remove_temp_dir(void);
/* 1 when the folder holds a leftover temporary file of an atomic write. */
int tf_has_temporaries(void);

/* The whole file in a fresh allocation (NULL if unreadable); *size its length. */
unsigned char *tf_read_file(const char *path, size_t *size);
/* Writes n bytes as path; 0 on success. */
int tf_write_file(const char *path, const void *data, size_t n);

#endif
