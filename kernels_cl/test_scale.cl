/* A tiny program for the program-cache test (tests/test_cl_cache.c):
 * data[i] = data[i] * factor + TEST_OFFSET, so that the output shows which
 * build options the program was built with. TEST_BUILD_ERROR makes the
 * build fail on purpose. */

#ifndef TEST_OFFSET
#define TEST_OFFSET 0.0f
#endif

#ifdef TEST_BUILD_ERROR
#error "test_scale.cl: build failure requested by TEST_BUILD_ERROR"
#endif

__kernel void tessel_test_scale(__global float *data, float factor)
{
    const size_t i = get_global_id(0);
    data[i] = data[i] * factor + TEST_OFFSET;
}
