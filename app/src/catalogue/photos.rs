//! Product photos: the upload is checked by its real content (JPEG, PNG or WebP, read
//! from its bytes, not its name), bounded in bytes and pixels, re-encoded as a JPEG of at
//! most 1200 px and a 400 px thumbnail, and stored under the data directory.
use super::service::product_member;
use super::Photo;
use crate::accounts::CurrentUser;
use crate::db::Db;
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::state::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use image::{imageops::FilterType, DynamicImage, ImageFormat, ImageReader, Limits};
use sqlx::Row;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The largest upload accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The widest or highest image accepted, in pixels.
pub const MAX_SIDE: u32 = 6000;
/// How many photos a product can have.
pub const MAX_PHOTOS: i64 = 8;
const FULL_SIDE: u32 = 1200;
const THUMB_SIDE: u32 = 400;

/// A photo ready to store: the re-encoded image, its thumbnail and its size.
#[derive(Clone)]
pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes, checks and re-encodes an uploaded image. CPU-heavy: call it off the async
/// threads (`process_blocking`).
pub fn process(bytes: &[u8]) -> Result<Processed, ErrorCode> {
    if bytes.len() > MAX_BYTES {
        return Err(ErrorCode::ImageTooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| ErrorCode::ImageInvalid)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(ErrorCode::ImageInvalid);
    }
    let unreadable = |error: image::ImageError| match error {
        image::ImageError::Limits(_) => ErrorCode::ImageTooLarge,
        _ => ErrorCode::ImageInvalid,
    };
    let (width, height) = reader(bytes, format)
        .into_dimensions()
        .map_err(unreadable)?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ErrorCode::ImageTooLarge);
    }
    let image = reader(bytes, format).decode().map_err(unreadable)?;
    let full = fit(&image, FULL_SIDE);
    let thumb = fit(&image, THUMB_SIDE);
    Ok(Processed {
        width: full.width(),
        height: full.height(),
        full: jpeg(&full)?,
        thumb: jpeg(&thumb)?,
    })
}

/// A decoder of a known format that refuses images too large to hold in memory.
fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    reader
}

/// A picture drawn from a colour and a number (the demo seed's product photos): a warm
/// gradient with a round shape, so every demo product has a photo without shipping any.
pub fn generated(colour: [u8; 3], variant: u32) -> Result<Processed, ErrorCode> {
    let (width, height) = (480u32, 360u32);
    let cx = 150.0 + f64::from(variant % 5) * 45.0;
    let cy = 150.0 + f64::from(variant % 3) * 30.0;
    let radius = 90.0 + f64::from(variant % 4) * 12.0;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let shade = 0.55 + 0.45 * (fy / f64::from(height));
        let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
        let [r, g, b] = colour;
        if d < radius {
            let light = 1.15 - 0.5 * d / radius;
            image::Rgb([r, g, b].map(|c| (f64::from(c) * light).min(255.0) as u8))
        } else {
            image::Rgb([245, 236, 220].map(|c: u8| (f64::from(c) * shade) as u8))
        }
    });
    let image = DynamicImage::ImageRgb8(image);
    let thumb = fit(&image, THUMB_SIDE);
    Ok(Processed {
        width,
        height,
        full: jpeg(&image)?,
        thumb: jpeg(&thumb)?,
    })
}

fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        image.clone()
    } else {
        image.resize(side, side, FilterType::Triangle)
    }
}

fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, ErrorCode> {
    let mut out = Vec::new();
    let rgb = image.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
        .encode_image(&rgb)
        .map_err(|_| ErrorCode::ImageInvalid)?;
    Ok(out)
}

pub async fn process_blocking(bytes: Vec<u8>) -> Result<Processed, AppError> {
    tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(|error| {
            tracing::error!(%error, "image task failed");
            AppError::Internal
        })?
        .map_err(|code| AppError::field("photo", code))
}

pub fn photo_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("photos")
}

/// Whether a requested media name is one this module could have written.
pub fn valid_file_name(name: &str) -> bool {
    let stem = name
        .strip_suffix("-thumb.jpg")
        .or_else(|| name.strip_suffix(".jpg"))
        .unwrap_or_default();
    stem.len() == 32
        && stem
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn new_stem() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Writes a processed image's two files under the data directory; returns their stem.
pub async fn write_files(data_dir: &Path, image: &Processed) -> Result<String, AppError> {
    let dir = photo_dir(data_dir);
    let stem = new_stem();
    let io = |error: std::io::Error| {
        tracing::error!(%error, "cannot write an image");
        AppError::Internal
    };
    tokio::fs::create_dir_all(&dir).await.map_err(io)?;
    tokio::fs::write(dir.join(format!("{stem}.jpg")), &image.full)
        .await
        .map_err(io)?;
    tokio::fs::write(dir.join(format!("{stem}-thumb.jpg")), &image.thumb)
        .await
        .map_err(io)?;
    Ok(stem)
}

/// Removes an image's two files; a file already gone is not an error.
pub async fn remove_files(data_dir: &Path, stem: &str) {
    let dir = photo_dir(data_dir);
    let _ = tokio::fs::remove_file(dir.join(format!("{stem}.jpg"))).await;
    let _ = tokio::fs::remove_file(dir.join(format!("{stem}-thumb.jpg"))).await;
}

/// Stores a processed photo for a product the caller has been checked against.
pub async fn store_photo(
    db: &Db,
    data_dir: &Path,
    product_id: i64,
    photo: Processed,
) -> Result<Photo, AppError> {
    let stem = write_files(data_dir, &photo).await?;
    let saved = async {
        let mut tx = db.begin_write().await?;
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM product_photos WHERE product_id = $1")
                .bind(product_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if count >= MAX_PHOTOS {
            return Err(AppError::field("photo", ErrorCode::TooManyPhotos));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO product_photos (product_id, file, width, height, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(product_id)
        .bind(&stem)
        .bind(i64::from(photo.width))
        .bind(i64::from(photo.height))
        .bind(count)
        .bind(db.now())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }
    .await;
    match saved {
        Ok(id) => Ok(Photo {
            id,
            file: stem,
            width: i64::from(photo.width),
            height: i64::from(photo.height),
        }),
        Err(error) => {
            // Nothing points at the files: take them away again.
            remove_files(data_dir, &stem).await;
            Err(error)
        }
    }
}

/// A member adds a photo to one of its cooperative's products.
pub async fn add_photo(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    bytes: Vec<u8>,
) -> Result<Photo, AppError> {
    product_member(&state.db, user, product_id).await?;
    let processed = process_blocking(bytes).await?;
    let photo = store_photo(&state.db, &state.settings.data_dir, product_id, processed).await?;
    tracing::info!(product_id, photo_id = photo.id, "photo added");
    Ok(photo)
}

/// A member removes a photo of one of its cooperative's products.
pub async fn delete_photo(
    state: &AppState,
    user: &CurrentUser,
    product_id: i64,
    photo_id: i64,
) -> Result<(), AppError> {
    product_member(&state.db, user, product_id).await?;
    let mut tx = state.db.begin_write().await?;
    let row =
        sqlx::query("DELETE FROM product_photos WHERE id = $1 AND product_id = $2 RETURNING file")
            .bind(photo_id)
            .bind(product_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    let stem: String = row.try_get("file")?;
    remove_files(&state.settings.data_dir, &stem).await;
    tracing::info!(product_id, photo_id, "photo deleted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([120, 80, 30]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encode png");
        out
    }

    #[test]
    fn a_large_image_is_resized_and_thumbnailed() {
        let photo = process(&png(2400, 1600)).expect("valid image");
        assert_eq!((photo.width, photo.height), (1200, 800));
        let thumb = image::load_from_memory(&photo.thumb).expect("thumbnail decodes");
        assert_eq!((thumb.width(), thumb.height()), (400, 267));
    }

    #[test]
    fn a_file_that_is_not_an_image_is_refused_whatever_its_name() {
        assert_eq!(
            process(b"%PDF-1.7 not an image").err(),
            Some(ErrorCode::ImageInvalid)
        );
        let mut truncated = png(50, 50);
        truncated.truncate(40);
        assert_eq!(process(&truncated).err(), Some(ErrorCode::ImageInvalid));
    }

    #[test]
    fn too_many_bytes_or_pixels_are_refused() {
        assert_eq!(
            process(&vec![0u8; MAX_BYTES + 1]).err(),
            Some(ErrorCode::ImageTooLarge)
        );
        assert_eq!(
            process(&png(6001, 10)).err(),
            Some(ErrorCode::ImageTooLarge)
        );
    }

    #[test]
    fn only_generated_file_names_are_served() {
        assert!(valid_file_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(valid_file_name(
            "0123456789abcdef0123456789abcdef-thumb.jpg"
        ));
        assert!(!valid_file_name("../etc/passwd"));
        assert!(!valid_file_name("0123456789ABCDEF0123456789abcdef.jpg"));
    }
}
