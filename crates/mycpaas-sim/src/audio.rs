//! The audio of the simulator's recordings: WAV, 8 kHz 16-bit PCM (telephone audio), one or
//! two channels, holding a quiet 400 Hz tone for every recorded second (a paused stretch recorded
//! as silence is silence). No MP3 encoder fits the simulator, so MP3 is answered with 415.

use std::io::Cursor;

/// Samples per second.
pub(crate) const SAMPLE_RATE: u32 = 8000;
/// One period of the tone: 400 Hz at 8 kHz is 20 samples.
const PERIOD: u16 = 20;
/// The tone's peak, a tenth of full scale (-20 dBFS).
const AMPLITUDE: f64 = 3276.0;

/// A WAV file of `seconds` of tone then `silent_seconds` of silence, in `channels` channels.
pub(crate) fn wav(
    seconds: u64,
    silent_seconds: u64,
    channels: u16,
) -> Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let frames = (seconds + silent_seconds) * u64::from(SAMPLE_RATE);
    let bytes = frames * u64::from(channels) * 2 + 44;
    let mut out = Cursor::new(Vec::with_capacity(usize::try_from(bytes).unwrap_or(0)));
    let period: Vec<i16> = (0..PERIOD)
        .map(|i| {
            let phase = std::f64::consts::TAU * f64::from(i) / f64::from(PERIOD);
            #[allow(clippy::cast_possible_truncation)] // |AMPLITUDE * sin| < i16::MAX
            let sample = (AMPLITUDE * phase.sin()).round() as i16;
            sample
        })
        .collect();
    {
        let mut writer = hound::WavWriter::new(&mut out, spec)?;
        let mut samples = writer.get_i16_writer(
            u32::try_from(frames * u64::from(channels)).map_err(|_| hound::Error::TooWide)?,
        );
        let toned = seconds * u64::from(SAMPLE_RATE);
        for frame in 0..frames {
            let sample = if frame < toned {
                period[usize::try_from(frame % u64::from(PERIOD)).unwrap_or(0)]
            } else {
                0
            };
            for _ in 0..channels {
                samples.write_sample(sample);
            }
        }
        samples.flush()?;
        writer.finalize()?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wav_of_the_recorded_length() {
        let bytes = wav(2, 1, 2).unwrap();
        let reader = hound::WavReader::new(Cursor::new(bytes)).unwrap();
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (2, 8000, 16)
        );
        assert_eq!(reader.duration(), 3 * SAMPLE_RATE);
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert!(samples[..16000 * 2].iter().any(|s| *s > 3000), "the tone");
        assert!(samples[16000 * 2..].iter().all(|s| *s == 0), "the silence");
    }
}
