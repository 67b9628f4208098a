package io.vblk.report;

import java.util.List;
import java.util.Map;

/** The measured outcome of one variant, and the sentence that explains it from those measurements. */
public record VariantResult(String label, Map<String, String> keys, String mode, String policy, int repeats,
                            List<DeviceFigures> devices, double jain, double maxShareErrorPp, String explanation) {}
